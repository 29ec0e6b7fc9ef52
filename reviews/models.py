"""The module Django loads for the ``reviews`` app: it imports each stage's models so that
they register under the app label "reviews", with their tables and migrations unchanged.
Code imports a model from its stage (``reviews.letter.models``), never from here.

The stages are imported in the handbook's order, each after those it builds on.
"""

# ruff: noqa: I001
from reviews.review import models as review_models  # noqa: F401
from reviews.self_assessment import models as self_assessment_models  # noqa: F401
from reviews.workbook import models as workbook_models  # noqa: F401
from reviews.letter import models as letter_models  # noqa: F401
from reviews.reflections import models as reflections_models  # noqa: F401
from reviews.escalations import models as escalations_models  # noqa: F401
from reviews.intelligence import models as intelligence_models  # noqa: F401
