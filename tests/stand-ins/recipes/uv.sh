# ghcr.io/astral-sh/uv:<ver> — contract: a scratch image holding the static binaries /uv and /uvx
# (templates `COPY --from=… /uv /uvx /bin/`). Stand-in: the same release's static musl binaries
# from the `uv` wheel on PyPI (uv is not packaged by Debian).
uv_version=0.13.9
tags=("ghcr.io/astral-sh/uv:$uv_version")
no_ca=1
changes=('ENTRYPOINT ["/uv"]')
make_rootfs() {
  local dir=$1 wheels
  wheels=$(mktemp -d)
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    --platform musllinux_1_1_x86_64 -d "$wheels" "uv==$uv_version"
  python3 - "$wheels" "$dir" <<'PY'
import sys, zipfile, pathlib, os
wheels, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wheel = next(wheels.glob("uv-*.whl"))
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        base = name.rsplit("/", 1)[-1]
        if ".data/scripts/" in name and base in ("uv", "uvx"):
            target = out / base
            target.write_bytes(z.read(name))
            os.chmod(target, 0o755)
PY
  rm -rf "$wheels"
  [ -x "$dir/uv" ] && [ -x "$dir/uvx" ]
}
