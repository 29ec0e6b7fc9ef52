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

    // The open list: Select2 adds it at the end of the page, its search box unnamed, and
    // names the list it opens with aria-owns only. The box says which list it controls,
    // the search box is named for the box, and the list is a named region of the page,
    // while it is open.
    function opened(event) {
        const select = event.target;
        const name = nameOf(select);
        const box = select.nextElementSibling;
        const list = document.querySelector("body > .select2-container--open");
        if (!name || !box || !list) {
            return;
        }
        const results = list.querySelector(".select2-results__options");
        if (results && results.id) {
            box.querySelectorAll(".select2-selection").forEach((combobox) => {
                combobox.setAttribute("aria-controls", results.id);
            });
        }
        list.setAttribute("role", "region");
        list.setAttribute("aria-label", `Choices for ${name}`);
        list.querySelectorAll(".select2-search__field").forEach((search) => {
            search.setAttribute("aria-label", `Search for ${name}`);
        });
    }

    function closed(event) {
        const box = event.target.nextElementSibling;
        if (box) {
            box.querySelectorAll(".select2-selection").forEach((combobox) => {
                combobox.removeAttribute("aria-controls");
            });
        }
    }

    if (window.django && window.django.jQuery) {
        const $ = window.django.jQuery;
        $(() => nameBoxes(document));
        document.addEventListener("formset:added", (event) => nameBoxes(event.target));
        $(document).on("select2:open", "select.admin-autocomplete", opened);
        $(document).on("select2:close", "select.admin-autocomplete", closed);
    }
}
