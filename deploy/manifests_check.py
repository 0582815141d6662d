"""Schema check of the container deployment, offline: `python -m deploy.manifests_check [FILE …]`.

No container engine or cluster runs here, so the compose file and the Kubernetes manifests are
checked against the schemas their tools use: the compose-spec JSON schema (as vendored by
check-jsonschema) and the Kubernetes OpenAPI schemas of KUBERNETES_VERSION (bundled by
kubernetes-validate, strict: an unknown field is an error, as `kubectl apply` would refuse it).
Both need jsonschema ≥ 4.23, newer than Rasa's pin, so this runs in its own virtualenv
(`.venv-k8s`, deploy/requirements-manifests.txt; `make test-manifests`). Without arguments it
checks deploy/containers/compose.yaml and every resource deploy/k8s/kustomization.yaml lists; a
file named compose*.yaml is a compose file, any other one Kubernetes manifests. Exit status 1 and
one line per problem when anything fails.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "containers" / "compose.yaml"
KUSTOMIZATION = ROOT / "deploy" / "k8s" / "kustomization.yaml"
KUBERNETES_VERSION = "1.31.0"


def default_files() -> list[Path]:
    resources_ = yaml.safe_load(KUSTOMIZATION.read_text(encoding="utf-8"))["resources"]
    return [COMPOSE, *(KUSTOMIZATION.parent / name for name in resources_)]


@lru_cache(maxsize=1)
def compose_validator() -> Any:
    from jsonschema.validators import validator_for

    text = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json").read_text("utf-8")
    schema = json.loads(text)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def compose_problems(path: Path) -> Iterator[str]:
    """The compose file against the compose-spec schema (before interpolation, as `docker compose config` reads it)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for error in sorted(compose_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        yield f"{path}: {where}: {error.message}"


def kubernetes_problems(path: Path, version: str = KUBERNETES_VERSION) -> Iterator[str]:
    """Each document of the file against the Kubernetes schemas of `version`, strictly."""
    import kubernetes_validate
    from kubernetes_validate.utils import ValidationError

    for index, document in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
        if document is None:
            continue
        name = f"{document.get('kind', '?')}/{(document.get('metadata') or {}).get('name', '?')}"
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except ValidationError as err:
            where = "/".join(str(p) for p in err.absolute_path) or "(top)"
            yield f"{path} #{index} {name}: {where}: {err.message}"
        except Exception as err:  # noqa: BLE001 — no schema for the kind or version: a problem too
            yield f"{path} #{index} {name}: {type(err).__name__}: {err}"


def problems(files: list[Path], version: str = KUBERNETES_VERSION) -> list[str]:
    found: list[str] = []
    for path in files:
        if not path.exists():
            found.append(f"{path}: no such file")
        elif path.name.startswith("compose"):
            found.extend(compose_problems(path))
        else:
            found.extend(kubernetes_problems(path, version))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--kubernetes-version", default=KUBERNETES_VERSION)
    args = parser.parse_args(argv)
    files = args.files or default_files()
    found = problems(files, args.kubernetes_version)
    for line in found:
        print(line)
    print(f"{len(files)} files checked (compose-spec; Kubernetes {args.kubernetes_version}, strict): "
          f"{len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
