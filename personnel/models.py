from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Commune, District, PartyCell, Province
from communes.periods import TERM
from communes.rules import check_all, without_rule_constraints
from kontum_posts.lib.vntext import fold, fold_length, normalize_name, person_sort_key
from personnel.access import scoped
from personnel.choices import (
    CELL_ROLES,
    EndReason,
    Gender,
    OfficerStatus,
    PartyRoleKind,
    Position,
    Rank,
    Role,
    UnitKind,
)
from personnel.correction_model import Correction  # noqa: F401  (the model is registered here)
from personnel.officer_history import OfficerChange, rank_label  # noqa: F401  (the model is registered here)
from personnel.rules import (
    OFFICER_POSTINGS_NEVER_OVERLAP,
    OFFICER_RULES,
    ONE_CHIEF_PER_COMMUNE,
    ONE_SECRETARY_PER_CELL,
    PARTY_ROLE_RULES,
    POSTING_ENDS_AFTER_START,
    POSTING_RULES,
    ROLE_ENDS_AFTER_START,
    SERVICE_NUMBER_UNIQUE,
    service_number_key,
)
from personnel.support import SupportAssignment  # noqa: F401  (the model is registered here)

# District police stopped on 01/03/2025 (Nghị định 02/2025/NĐ-CP): the first day they no longer exist.
DISTRICT_POLICE_END = datetime.date(2025, 3, 1)


class Unit(models.Model):
    """A police unit officers come from: a provincial department or a district police. A department
    goes on under the province its own was merged into (scopes follow the lineage); a district police
    unit ends on DISTRICT_POLICE_END."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="units", verbose_name=_("province"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True, help_text=_("first day it no longer exists"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["province", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="unit_name_unique_in_province"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """A district police unit ends with the district police; call before bulk_create (save() does)."""
        if self.kind == UnitKind.DISTRICT_POLICE and self.abolished_on is None:
            self.abolished_on = DISTRICT_POLICE_END


class OfficerQuerySet(models.QuerySet):
    def for_user(self, user, *, on: datetime.date | None = None):
        """The officers in the user's area on the day `on` (today unless given)."""
        return scoped(self, user, on=on)

    def search(self, text: str):
        """Officers whose name contains the text, accents aside, or whose service number contains it
        ("123" finds 123-456)."""
        folded = fold(text)
        if not folded:
            return self
        match = Q(search_name__contains=folded)
        if any(ch.isdigit() for ch in folded):  # service numbers are digits (and dashes); names have none
            match |= Q(service_number__contains=service_number_key(text))
        return self.filter(match)


class Officer(models.Model):
    """A regular (career) police officer (công an chính quy)."""

    full_name = models.CharField(_("full name"), max_length=100)
    search_name = models.CharField(max_length=fold_length(100), editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices)
    service_number = models.CharField(
        _("service number"), max_length=20, unique=True, error_messages={"unique": SERVICE_NUMBER_UNIQUE.message}
    )
    party_member_since = models.DateField(_("Party member since"), null=True, blank=True)
    home_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="officers", verbose_name=_("home unit")
    )
    status = models.CharField(_("status"), max_length=20, choices=OfficerStatus.choices, default=OfficerStatus.SERVING)

    objects = OfficerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["sort_key"]
        # The officer list's ethnicity filter offers every value: read by a loose scan of this index (filters.py).
        indexes = [models.Index(fields=["ethnicity"], name="officer_ethnicity")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Normalised name, folded search column and Vietnamese sort key; call before bulk_create."""
        self.full_name = normalize_name(self.full_name)
        self.service_number = service_number_key(self.service_number)
        self.search_name = fold(self.full_name)
        self.sort_key = person_sort_key(self.full_name)

    @property
    def rank_on_label(self) -> str:
        """The rank on the page's day (rows annotated with officer_history.attributes_on())."""
        return rank_label(self.rank_on)

    def clean(self):
        super().clean()
        # Compared and stored as its key (personnel/rules.py), which must still fit the column.
        self.service_number = service_number_key(self.service_number)
        try:
            self._meta.get_field("service_number").run_validators(self.service_number)
        except ValidationError as refusal:
            raise ValidationError({"service_number": refusal.messages}) from None
        check_all(self, OFFICER_RULES)

    @property
    def is_party_member(self) -> bool:
        return self.party_member_since is not None


class PeriodQuerySet(models.QuerySet):
    """Rows with a start_date and an inclusive end_date: postings and Party roles."""

    def for_user(self, user):
        return scoped(self, user)

    def open_on(self, day: datetime.date):
        return self.filter(TERM.open_on(day))


class Posting(models.Model):
    """An officer's posting to a commune police position, made by a decision."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="postings", verbose_name=_("officer"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="postings", verbose_name=_("commune"))
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("last day in post; empty while open"))
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["commune", "start_date", "end_date"], name="posting_commune_dates"),
            models.Index(fields=["officer", "start_date"], name="posting_officer_start"),
            # The posting list, newest first: PostgreSQL reads the first page from this index instead of
            # sorting the country's postings (national list, page 1: 205 ms -> 6 ms).
            models.Index(fields=["-start_date", "id"], name="posting_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                name="posting_ends_on_or_after_start", condition=TERM.well_formed(),
                violation_error_message=POSTING_ENDS_AFTER_START.message,
            ),
            # Two open postings always overlap; PostgreSQL also refuses closed ones that do (migration 0002).
            models.UniqueConstraint(
                fields=["officer"], condition=TERM.still_open(), name="posting_one_open_per_officer",
                violation_error_message=OFFICER_POSTINGS_NEVER_OVERLAP.message,
            ),
            models.UniqueConstraint(
                fields=["commune"],
                condition=TERM.still_open() & Q(position=Position.CHIEF),
                name="posting_one_open_chief_per_commune",
                violation_error_message=ONE_CHIEF_PER_COMMUNE.message,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.get_position_display()}, {self.commune}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def rank_on_label(self) -> str:
        """The officer's rank on the page's day (annotated `rank_on`, officer_history.attributes_on())."""
        return rank_label(self.rank_on)

    def holds_on(self, day: datetime.date) -> bool:
        return TERM.is_open_on(self, day)

    def clean(self):
        super().clean()
        if self.end_reason and not self.end_date:
            raise ValidationError({"end_reason": _("Only an ended posting has an end reason.")})
        check_all(self, POSTING_RULES)

    def get_constraints(self):
        # Constraints that restate a rule are validated by clean(), through the rule that names the clash.
        return without_rule_constraints(super().get_constraints(), POSTING_RULES)


class PartyRole(models.Model):
    """A Party role held in a commune: cell secretary or deputy, or a seat on the commune Party committee.

    The holder is normally an officer; a cell led by someone outside the police names that
    person in `holder_name` instead (the "60/61" in the pilot's figures).
    """

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="party_roles", verbose_name=_("officer")
    )
    holder_name = models.CharField(_("holder (not a police officer)"), max_length=100, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="party_roles", verbose_name=_("commune"))
    cell = models.ForeignKey(
        PartyCell, on_delete=models.PROTECT, null=True, blank=True, related_name="roles", verbose_name=_("Party cell")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRoleKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("last day in the role; empty while held"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party role")
        verbose_name_plural = _("Party roles")
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["commune", "role", "start_date"], name="party_role_commune_role")]
        constraints = [
            models.CheckConstraint(
                name="party_role_ends_on_or_after_start", condition=TERM.well_formed(),
                violation_error_message=ROLE_ENDS_AFTER_START.message,
            ),
            models.CheckConstraint(
                name="party_role_has_exactly_one_holder",
                condition=(Q(officer__isnull=False) & Q(holder_name="")) | (Q(officer__isnull=True) & ~Q(holder_name="")),
            ),
            models.CheckConstraint(
                name="party_role_cell_roles_name_a_cell",
                condition=~Q(role__in=CELL_ROLES) | Q(cell__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["cell"],
                condition=TERM.still_open() & Q(role=PartyRoleKind.CELL_SECRETARY),
                name="party_role_one_open_secretary_per_cell",
                violation_error_message=ONE_SECRETARY_PER_CELL.message,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} — {self.get_role_display()}, {self.commune}"

    @property
    def holder(self) -> str:
        return self.officer.full_name if self.officer_id else self.holder_name

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def clean(self):
        super().clean()
        if bool(self.officer_id) == bool(self.holder_name.strip()):
            raise ValidationError(_("Name either a police officer or, for someone outside the police, the holder's name."))
        if self.role in CELL_ROLES and not self.cell_id:
            raise ValidationError({"cell": _("A cell secretary or deputy secretary belongs to a Party cell.")})
        if self.cell_id and self.commune_id and self.cell.commune_id != self.commune_id:
            raise ValidationError({"cell": _("The Party cell is in another commune.")})
        check_all(self, PARTY_ROLE_RULES)

    def get_constraints(self):
        return without_rule_constraints(super().get_constraints(), PARTY_ROLE_RULES)

    def is_open_on(self, day: datetime.date) -> bool:
        return TERM.is_open_on(self, day)


class Plan(models.Model):
    """A posting plan (kế hoạch) such as 223/KH-BCA-V05: the communes it covers and its staffing norm."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="plans", verbose_name=_("province"))
    number = models.CharField(_("number"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    communes = models.ManyToManyField(Commune, related_name="plans", verbose_name=_("communes"))
    requires_chief = models.BooleanField(_("a chief in every commune"), default=True)
    min_officers = models.PositiveSmallIntegerField(
        _("minimum officers per commune"), default=3, help_text=_("regular officers in post, the chief included")
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["province", "-issued_on"]
        constraints = [models.UniqueConstraint(fields=["province", "number"], name="plan_number_unique_in_province")]

    def __str__(self) -> str:
        return self.number


class UserProfile(models.Model):
    """What a user may see and change: a role, a province (empty for national scope) and optional districts."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province"),
        help_text=_("empty: every province"),
    )
    districts = models.ManyToManyField(
        District, blank=True, verbose_name=_("districts"), help_text=_("for editors: empty means the whole province")
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ImportPreview(models.Model):
    """A checked import file waiting for its owner's confirm (in the database, so any app server can take it)."""

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_previews")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(db_index=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()  # the file as uploaded: the confirm checks it again against the data of then
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self) -> str:
        return self.filename


class AccessEvent(models.Model):
    """A line of the access log: a login or a failed one, or who exported or downloaded which list or report."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        EXPORT = "export", _("List exported")
        REPORT = "report", _("Report downloaded")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    # The user's province at the time (empty: national, or an unknown name): whose administrators read it.
    province = models.ForeignKey(
        Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province"),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    query = models.CharField(_("filters"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["province", "-at"], name="access_event_province_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"


class Reorganisation(models.Model):
    """One carrying of a province's staff into the units of an administrative change (personnel/reorganisation.py):
    the postings, Party cells and roles open on the eve in the units that end, ended on the eve and started on
    the day in their successors, by the legal act. Undoing it is recorded too (`undone_at`)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="reorganisations",
                                 verbose_name=_("province"))
    effective_on = models.DateField(_("effective on"))
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("applied by"))
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("undone by"))

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["province", "effective_on"], condition=Q(undone_at__isnull=True),
                                               name="reorganisation_once_per_province_and_day")]

    def __str__(self) -> str:
        return f"{self.province} {self.effective_on:%d/%m/%Y} ({self.legal_basis})"


class ReorganisationStep(models.Model):
    """A row a reorganisation ended or started (by model and key: an undo deletes what it started)."""

    class Kind(models.TextChoices):
        ENDED = "ended", _("ended on the eve")
        STARTED = "started", _("started on the day")

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    model = models.CharField(max_length=20)  # "posting", "partyrole", "partycell"
    object_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"], name="reorganisation_step_object")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.kind}"
