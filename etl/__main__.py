from .dataclass_code import install
from .regex_programs import install as install_regex_programs

install()       # before anything defines a dataclass: their methods' code from the cache
install_regex_programs()    # before anything compiles a pattern: their programs from the cache
from .cli import main  # noqa: E402

raise SystemExit(main())
