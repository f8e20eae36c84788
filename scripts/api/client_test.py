"""A typed client generated from the served OpenAPI document works.

Generates a Python client with openapi-python-client from /api/openapi.json
of a running server (started with a token), then with it: finds a place,
computes its plan and compares it with `safetygap plan --format json` for
the same place, explains a program, and saves, reads, updates, lists and
deletes a plan (with the bearer token, and checks that a write and a read
without it are refused). Prints "client: N passed, N failed".

Usage: client_test.py --url URL --token TOKEN --bin SAFETYGAP --work DIR
"""
import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--token", required=True)
ap.add_argument("--bin", required=True)
ap.add_argument("--work", required=True)
a = ap.parse_args()

work = pathlib.Path(a.work)
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
gen = subprocess.run(
    [sys.executable, "-m", "openapi_python_client", "generate", "--url", f"{a.url}/api/openapi.json",
     "--output-path", str(work / "safetygap_client"), "--meta", "none"],
    capture_output=True, text=True,
)
# Its warnings (it has no model for the SVG responses of charts and maps)
# are kept, not printed; a failure shows them.
(work / "generate.log").write_text(gen.stdout + gen.stderr)
if gen.returncode != 0:
    print(gen.stdout + gen.stderr)
    sys.exit("client: the generator failed")
sys.path.insert(0, str(work))

from safetygap_client import AuthenticatedClient, Client  # noqa: E402
from safetygap_client.api.jurisdictions import search  # noqa: E402
from safetygap_client.api.plans import explain, plan_post  # noqa: E402
from safetygap_client.api.saved_plans import (  # noqa: E402
    saved_create, saved_delete, saved_get, saved_list, saved_update)
from safetygap_client.models import PlanJson, Problem, SavedPlan, SavedPlanInput, Scenario  # noqa: E402

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


anon = Client(base_url=a.url, raise_on_unexpected_status=True)
authed = AuthenticatedClient(base_url=a.url, token=a.token, raise_on_unexpected_status=True)

# A place, found by name (its GEOID is whatever the gazetteer uses).
hits = search.sync(client=anon, q="Oakland", limit=10)
place = next(h for h in hits if h.kind == "place")
check("search finds a place", place.display == "Oakland, CA", place.display)

# The plan through the client equals the CLI's JSON for the same place.
plan = plan_post.sync(client=anon, body=Scenario(geoid=place.geoid))
check("plan is a typed PlanJson", isinstance(plan, PlanJson), type(plan))
with tempfile.TemporaryDirectory() as data:
    cli = subprocess.run([a.bin, "--data-dir", data, "plan", "--geoid", place.geoid, "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
cli_plan = json.loads(cli)
check("plan equals `safetygap plan --format json`", plan.to_dict() == cli_plan,
      json.dumps({k: (plan.to_dict().get(k), cli_plan.get(k)) for k in cli_plan if plan.to_dict().get(k) != cli_plan.get(k)})[:600])
check("every line survives the typed model", len(plan.programs) == len(cli_plan["programs"]) > 0)

# Explain a program of that plan.
program = plan.programs[0].id
e = explain.sync(client=anon, program=program, body=Scenario(geoid=place.geoid))
check(f"explain {program}", e is not None and not isinstance(e, Problem) and bool(e.to_dict()), e)
missing = explain.sync(client=anon, program="no_such_program", body=Scenario(geoid=place.geoid))
check("explain of an unknown program is a typed 404 problem", isinstance(missing, Problem) and missing.status == 404, missing)

# The saved-plan round trip, with the token.
body = SavedPlanInput(name="Client round trip", scenario=Scenario.from_dict({"geoid": place.geoid, "inventory": {"dv_shelter_bed": 12}}))
refused = saved_create.sync(client=anon, body=body)
check("a write without the token is a typed 401 problem", isinstance(refused, Problem) and refused.status == 401, refused)
created = saved_create.sync(client=authed, body=body)
check("create", isinstance(created, SavedPlan) and created.revision == 1, created)
unread = saved_get.sync(client=anon, id=created.id)
check("a read without the token is a typed 401 problem", isinstance(unread, Problem) and unread.status == 401, unread)
got = saved_get.sync(client=authed, id=created.id)
check("read back", isinstance(got, SavedPlan) and got.scenario.to_dict() == body.scenario.to_dict(), got)
again = plan_post.sync(client=anon, body=got.scenario)
direct = plan_post.sync(client=anon, body=body.scenario)
check("the saved scenario computes the same plan", again.to_dict() == direct.to_dict())
changed = SavedPlanInput(name="Client round trip v2", scenario=Scenario(geoid=place.geoid))
updated = saved_update.sync(client=authed, id=created.id, body=changed, if_match=f'"r{got.revision}"')
check("update with If-Match", isinstance(updated, SavedPlan) and updated.revision == 2 and updated.name == changed.name, updated)
stale = saved_update.sync(client=authed, id=created.id, body=changed, if_match='"r1"')
check("a stale If-Match is a typed 412 problem", isinstance(stale, Problem) and stale.status == 412, stale)
listed = saved_list.sync(client=authed)
check("listed", any(s.id == created.id for s in listed))
r = saved_delete.sync_detailed(client=authed, id=created.id)
check("delete", r.status_code == 204, r.status_code)
gone = saved_get.sync(client=authed, id=created.id)
check("gone", isinstance(gone, Problem) and gone.status == 404, gone)

print(f"client: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
