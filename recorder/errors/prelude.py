"""Everything a recorder module needs to report errors, in one import (ADR 0004, principle 13).

``from recorder.errors.prelude import *`` gives the kinds, codes, exception classes,
constructors, guards and the translator.
"""

from recorder.errors import *  # noqa: F403
from recorder.errors import __all__ as __all__
