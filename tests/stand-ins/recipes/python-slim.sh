# python:<ver>-slim-bookworm — contract: python, python3, pip, pip3 at /usr/local/bin; `python -m
# venv` works (ensurepip); pip installs into the system interpreter (no PEP 668 marker); LANG
# C.UTF-8; useradd/groupadd; no wget, no curl, no compilers; CMD ["python3"]. Stand-in: Debian
# trixie's Python 3.13 (tomllib is there, as in 3.11+).
tags=(python:3.12-slim-bookworm python:3.12-slim python:3.13-slim-bookworm python:3.13-slim
      python:3.11-slim-bookworm python:3.11-slim python:3-slim python:slim
      python:3.12-slim-trixie python:3.13-slim-trixie)
suite=trixie
packages=(python3 python3-venv python3-pip ca-certificates)
changes=("${ca_env[@]}" 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV LANG=C.UTF-8' 'CMD ["python3"]')
customize() {
  local root=$1
  ln -sf /usr/bin/python3 "$root/usr/local/bin/python"
  ln -sf /usr/bin/python3 "$root/usr/local/bin/python3"
  ln -sf /usr/bin/pip3 "$root/usr/local/bin/pip"
  ln -sf /usr/bin/pip3 "$root/usr/local/bin/pip3"
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
  assert_absent "$root" wget curl gcc cc
  assert_present "$root" /usr/local/bin/python /usr/local/bin/pip /usr/sbin/useradd
}
