"""Chinese names for the store's codes and number formatting: defined in etl/labels.py
(the command-line exports need them too) and re-exported here, so the pages keep
importing `pages._labels`. Add new labels in etl/labels.py."""
from etl.labels import *  # noqa: F401,F403
from etl.labels import _missing  # noqa: F401
