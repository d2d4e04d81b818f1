// The pages' behaviour, from a static file: the Content-Security-Policy allows no inline script.
document.querySelectorAll("[data-submit-on-change]").forEach(function (field) {
  field.addEventListener("change", function () {
    field.form.submit();
  });
});
