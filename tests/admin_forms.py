"""What a browser sends with an admin change form besides the fields a test sets."""


def inline_data(response) -> dict[str, str]:
    """The management form and hidden fields of every inline on an admin page, as the
    page rendered them, so that a test's POST is the one a browser would send."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            for field in form.hidden_fields():
                value = field.value()
                if value is not None:
                    data[field.html_name] = value
    return data
