from .dataclass_code import install

install()       # before anything defines a dataclass: their methods' code from the cache
from .cli import main  # noqa: E402

raise SystemExit(main())
