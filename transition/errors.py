"""Domain errors: each says what went wrong in terms a screen can show."""


class TransitionError(Exception):
    """Base of Passage's domain errors."""


class InvalidTransition(TransitionError):
    """An object was asked to move to a state its current state does not lead to."""

    def __init__(self, obj: object, current: str, target: str) -> None:
        super().__init__(f"{obj} cannot go from {current!r} to {target!r}.")
        self.current = current
        self.target = target


class NotAllowed(TransitionError):
    """The person may not do this to this object (see `transition.permissions`)."""


class RequestAlreadyOpen(TransitionError):
    """The course already has a request in progress: one course, one open request."""


class CampaignNotOpen(TransitionError):
    """The campaign does not take requests in its current state."""


class CourseExcluded(TransitionError):
    """The course belongs to a category the campaign leaves alone."""
