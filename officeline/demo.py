"""What demo seeding reports: the places to go and the logins to use."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoReport:
    places: list[tuple[str, str]] = field(default_factory=list)  # (what, path or URL)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (who, login, secret)
    notes: list[str] = field(default_factory=list)

    def place(self, what: str, where: str) -> None:
        self.places.append((what, where))

    def login(self, who: str, login: str, secret: str) -> None:
        self.logins.append((who, login, secret))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self, base_url: str) -> str:
        lines = ["", "Officeline is starting.", ""]
        for what, where in self.places:
            url = where if "://" in where or where.startswith("sip:") else base_url + where
            lines.append(f"  {what:<36} {url}")
        if self.logins:
            lines += ["", "Demo logins:"]
            for who, login, secret in self.logins:
                lines.append(f"  {who:<36} {login:<34} {secret}")
        if self.notes:
            lines += [""] + [f"  {note}" for note in self.notes]
        return "\n".join(lines) + "\n"
