// The only script: hides the "until" field unless the chosen status is a waiver. Everything works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.decide").forEach(function (form) {
    var select = form.querySelector("select.status-select");
    var until = form.querySelector("label.until");
    if (!select || !until) return;
    function update() { until.classList.toggle("hidden", select.value !== "waived"); }
    select.addEventListener("change", update);
    update();
  });
});
