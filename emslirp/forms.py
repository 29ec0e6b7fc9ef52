"""Sign-in and password forms, laid out with the GOV.UK Design System pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.template import loader

from emslirp.auth import normalise_email
from emslirp.models import User
from emslirp.notices import email_after_commit
from emslirp.tasks import task_send_email


def welcome_send(*, person: User, request) -> None:
    """E-mail a person whose account was just made a link to choose their password."""
    form = ResetRequestForm({"email": person.email})
    form.is_valid()
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="registration/welcome_subject.txt",
        email_template_name="registration/welcome_email.txt",
        html_email_template_name="registration/welcome_email.html",
        extra_email_context={"site_name": settings.SERVICE_NAME},
    )


def email_change_notice_send(*, person: User, old_email: str) -> None:
    """Tell the old address that the sign-in address changed: if the owner did not ask
    for it, they know at once whom to call."""
    email_after_commit(
        template="registration/email_changed.txt",
        subject=f"Your {settings.SERVICE_NAME} sign-in address was changed",
        to=[old_email],
        context={"person": person, "old_email": old_email},
    )


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    error_messages = {
        "invalid_login": "Enter the e-mail address and password of your account.",
        "inactive": "This account has been closed. Ask your coordinator to reopen it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Send the link"),
        )

    def get_users(self, email):
        # Django skips accounts without a usable password; here those are people whose
        # coordinator made their account and who lost the first link: they get a new one.
        return User.objects.filter(email=normalise_email(email), is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The worker sends it once the request's transaction has committed.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        transaction.on_commit(
            lambda: task_send_email.delay(subject=subject, body=body, to=[to_email], html_body=html)
        )


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Save the password"),
        )


def form_errors_add(form: forms.Form, error) -> None:
    """Show a service's ValidationError on ``form``: each message at its field when the
    form has that field, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
        # A date refused as a whole leads from the error summary into its first box.
        if hasattr(form.fields.get(field), "errors_to_first_box"):
            form.fields[field].errors_to_first_box(messages)


def error_links(form, *, whole: str = "", anchors: dict | None = None) -> list[tuple[str, str]]:
    """Each message of a failed ``form`` with the id of the element the error summary's
    link leads to: a field drawn by hand by the id ``anchors`` gives it; a choice of radios
    or checkboxes by its first box, where the pack puts no id of the field's own; a date by
    its first box; a message about the whole form by ``whole``, or else its first field."""
    if form is None or not form.errors:
        return []
    anchors = anchors or {}

    def anchor(name: str, message: str = "") -> str:
        if name in anchors:
            return anchors[name]
        if name not in form.fields:
            if whole:
                return whole
            visible = [field.name for field in form if not field.is_hidden]
            return anchor(visible[0]) if visible else ""
        field = form[name]
        if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{field.auto_id}_1"
        if isinstance(field.field, forms.MultiValueField):
            boxes = [getattr(box.widget, "errors", []) for box in field.field.fields]
            at = next((n for n, errors in enumerate(boxes) if message in errors), 0)
            return f"{field.auto_id}_{at}"
        return field.auto_id

    return [
        (anchor(name, message), message)
        for name, errors in form.errors.items()
        for message in errors
    ]
