/* Accessibility repairs for Dash 4.4's own components, found by the axe-core check in
   tests/browser/test_accessibility.py. Each repair is idempotent and re-applied whenever
   React touches the attributes again. Remove one when Dash fixes the component.

   - Checklist and RadioItems render native checkboxes and radios inside <label role=option>
     inside <div role=listbox>: a listbox with no name whose options hold focusable inputs.
     The native inputs, inside our <fieldset><legend>, already say everything: drop the roles.
   - DatePickerRange puts aria-expanded and aria-haspopup on its wrapper <div>, which has no
     role that allows them, and labels it by ids that do not exist ("undefined").
   - Dropdown keeps its button out of the tab order and sends focus to an aria-hidden input
     instead; a keyboard user lands on something a screen reader cannot see. Make the button
     the tab stop, named by the field's <label>.
   - Slider's thumb (role=slider) has no accessible name and no text for its value.
*/
(function () {
  "use strict";

  function drop(el, names) {
    names.forEach(function (name) {
      if (el.hasAttribute(name)) { el.removeAttribute(name); }
    });
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function labelFor(id) {
    var label = document.querySelector('label[for="' + id + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = id + "-field-label"; }
    return label.id;
  }

  function repair() {
    document.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
      drop(list, ["role", "aria-multiselectable", "aria-orientation"]);
    });
    document.querySelectorAll(".dash-options-list-option").forEach(function (option) {
      drop(option, ["role", "aria-selected"]);
    });
    document.querySelectorAll(".dash-datepicker-input-wrapper").forEach(function (wrapper) {
      drop(wrapper, ["aria-expanded", "aria-haspopup", "aria-disabled", "aria-labelledby", "type"]);
    });
    document.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrapper) {
      var proxy = wrapper.querySelector(".dash-dropdown-focus-target");
      var button = wrapper.querySelector("button.dash-dropdown");
      if (!proxy || !button) { return; }
      set(proxy, "tabindex", "-1");
      set(button, "tabindex", "0");
      // Named by the field's label, then by its own text: what is chosen, as it is seen. The
      // clear cross inside it is for the mouse (Backspace clears too), and its own label would
      // run into that text, so it is hidden from screen readers.
      wrapper.querySelectorAll(".dash-dropdown-clear").forEach(function (cross) {
        set(cross, "aria-hidden", "true");
        drop(cross, ["aria-label"]);
      });
      var label = button.id ? labelFor(button.id) : null;
      var names = label ? [label, button.id] : [];
      if (names.length) { set(button, "aria-labelledby", names.join(" ")); }
    });
    // Dash's Slider thumb has no name, and speaks its value as a bare number. A container
    // with data-slider-label names it; with data-first-day the number is a day of the period.
    document.querySelectorAll("[data-slider-label]").forEach(function (box) {
      var thumb = box.querySelector("[role='slider']");
      if (!thumb) { return; }
      set(thumb, "aria-labelledby", box.getAttribute("data-slider-label"));
      var first = box.getAttribute("data-first-day");
      var offset = parseInt(thumb.getAttribute("aria-valuenow"), 10);
      if (first && !isNaN(offset)) {
        var day = new Date(first + "T00:00:00Z");
        day.setUTCDate(day.getUTCDate() + offset);
        set(thumb, "aria-valuetext", day.toLocaleDateString("en-GB",
          { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }));
      }
    });
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      repair();
    });
  }

  function start() {
    repair();
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["role", "aria-selected", "aria-expanded", "aria-haspopup",
        "aria-labelledby", "aria-hidden", "tabindex", "aria-valuenow"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
