"""LINE-5: a defective desk phone supplied by the operator, replaced at no cost."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.lines.choices import DeviceKind, LineStatus, ReplacementStatus
from officeline.lines.errors import LineError
from officeline.lines.models import Device, ReplacementRequest
from officeline.lines.services.lines import line_event as _event


def request_replacement(*, device: Device, description: str, actor: Actor) -> ReplacementRequest:
    """LINE-5: a defective desk phone supplied by the operator is replaced at no cost. The
    request is tracked (requested, shipped, done); nothing in it creates a charge."""
    if not description.strip():
        raise LineError(
            _("Describe what is wrong with the device."),
            code="replacement_description_missing",
            field="description",
        )
    if getattr(actor, "customer_id", None) not in (None, device.line.customer_id):
        raise PermissionDenied(_("This device belongs to another customer."))
    with transaction.atomic():
        locked = (
            Device.objects.select_for_update()
            .select_related("line__number", "line__customer")
            .get(pk=device.pk)
        )
        if locked.kind != DeviceKind.DESK_PHONE:
            raise LineError(
                _("Only a desk phone we supplied can be replaced."),
                code="device_not_replaceable",
                field="device",
            )
        if locked.line.status == LineStatus.TERMINATED:
            raise LineError(_("This line has ended."), code="line_ended", field="device")
        if (
            ReplacementRequest.objects.filter(device=locked)
            .exclude(status=ReplacementStatus.DONE)
            .exists()
        ):
            raise LineError(
                _("A replacement of this device is already under way."),
                code="replacement_under_way",
                field="device",
            )
        replacement = ReplacementRequest.objects.create(
            line=locked.line,
            device=locked,
            description=description.strip(),
            requested_at=clock.now(),
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        _event(
            locked.line,
            "replacement_requested",
            actor,
            device=locked.sip_username,
            replacement=replacement.pk,
        )
    return replacement


# Who ships and closes a replacement (accounts.permissions).
REPLACEMENT_CAPABILITY = "replacements.act"


def _replacement_step(
    replacement: ReplacementRequest, actor: Actor, expected: str, to: str
) -> ReplacementRequest:
    require_capability(actor, REPLACEMENT_CAPABILITY)
    locked = (
        ReplacementRequest.objects.select_for_update()
        .select_related("line__number", "line__customer", "device")
        .get(pk=replacement.pk)
    )
    if locked.status != expected:
        raise LineError(
            _("This replacement is %(status)s.") % {"status": locked.get_status_display()},
            code="replacement_step_out_of_order",
            field="status",
        )
    locked.status = to
    return locked


def mark_replacement_shipped(
    *, replacement: ReplacementRequest, reference: str, actor: Actor
) -> ReplacementRequest:
    """LINE-5: the replacement device is on its way, at no cost to the customer."""
    with transaction.atomic():
        locked = _replacement_step(
            replacement, actor, ReplacementStatus.REQUESTED, ReplacementStatus.SHIPPED
        )
        locked.shipped_at, locked.shipment_reference = clock.now(), reference.strip()[:100]
        locked.save(update_fields=["status", "shipped_at", "shipment_reference"])
        _event(
            locked.line,
            "replacement_shipped",
            actor,
            replacement=locked.pk,
            reference=locked.shipment_reference,
        )
    return locked


def mark_replacement_done(*, replacement: ReplacementRequest, actor: Actor) -> ReplacementRequest:
    """LINE-5: the replacement works; the request is closed."""
    with transaction.atomic():
        locked = _replacement_step(
            replacement, actor, ReplacementStatus.SHIPPED, ReplacementStatus.DONE
        )
        locked.done_at = clock.now()
        locked.save(update_fields=["status", "done_at"])
        _event(locked.line, "replacement_done", actor, replacement=locked.pk)
    return locked
