"""Passage's domain model, one module per part of the domain."""

from transition.models.audit import AuditEvent
from transition.models.campaigns import Campaign, Policy, PolicyRule
from transition.models.catalogue import Category, Course, CourseRole, Person
from transition.models.cohorts import Cohort, CourseCohort
from transition.models.engine import CourseLock, InstanceLease
from transition.models.installation import Installation
from transition.models.instances import MoodleInstance
from transition.models.jobs import Backup, Job
from transition.models.kept_copies import KeptCopy
from transition.models.notices import MailDelivery, RequestNotice
from transition.models.preferences import UserPreference
from transition.models.reminders import ChoiceReminder
from transition.models.request_plans import RequestPlan
from transition.models.requests import TransitionRequest

__all__ = [
    "AuditEvent",
    "Backup",
    "Campaign",
    "Category",
    "ChoiceReminder",
    "Cohort",
    "Course",
    "CourseCohort",
    "CourseLock",
    "CourseRole",
    "Installation",
    "InstanceLease",
    "Job",
    "KeptCopy",
    "MailDelivery",
    "MoodleInstance",
    "Person",
    "Policy",
    "PolicyRule",
    "RequestNotice",
    "RequestPlan",
    "TransitionRequest",
    "UserPreference",
]
