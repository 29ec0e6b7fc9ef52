"use strict";
// The admin's autocomplete boxes (Select2) are named by the text they show, which is empty
// until a choice is made: a screen reader would announce an unnamed box (WCAG 4.1.2). The
// box and the text it shows are named here as their select is (its aria-label, or its
// label). Runs after Django's autocomplete.js has made the boxes, on the page
// and in each row an inline adds.
{
    function nameOf(select) {
        const label = select.getAttribute("aria-label");
        if (label) {
            return label;
        }
        return select.labels && select.labels.length ? select.labels[0].textContent.trim() : "";
    }

    function nameBoxes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const name = nameOf(select);
            const box = select.nextElementSibling;
            if (!name || !box || !box.classList.contains("select2")) {
                return;
            }
            // The box itself (the combobox) by name, as the select is; its choice is
            // announced by the text box inside it, named the same.
            box.querySelectorAll(".select2-selection").forEach((combobox) => {
                combobox.removeAttribute("aria-labelledby");
                combobox.setAttribute("aria-label", name);
            });
            box.querySelectorAll(".select2-selection__rendered").forEach((shown) => {
                shown.setAttribute("aria-label", name);
            });
        });
    }

    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => nameBoxes(document));
        document.addEventListener("formset:added", (event) => nameBoxes(event.target));
    }
}
