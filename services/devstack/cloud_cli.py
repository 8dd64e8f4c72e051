"""Points `gcloud storage` and `gsutil` at the local storage emulator.

The user's own gcloud configuration stays untouched: the exports name a scratch gcloud
configuration folder and a boto file of the stack's own, both under the stack's state folder.
gcloud takes the emulator's address from a variable; gsutil only from its boto file, and only
over HTTPS, which is why the emulator serves HTTPS too (with a certificate of its own, so the
boto file turns certificate checks off: it is a local emulator with nothing secret in it).
"""

from pathlib import Path

from services.devstack.settings import StackSettings

BOTO_FILE = """\
# Written by `league dev env`: gsutil against the local storage emulator of League App.
[Credentials]
gs_json_host = {host}
gs_json_port = {port}
gs_host = {host}
gs_port = {port}

[Boto]
https_validate_certificates = False

[GSUtil]
default_project_id = {project_id}
# Classic gsutil, which reads the hosts above (not the gcloud storage shim).
use_gcloud_storage = False
"""


def storage_state_dir(stack: StackSettings) -> Path:
    """One folder per local storage emulator (by its port), so stacks on other ports coexist."""
    return stack.state_dir / f"storage-{stack.storage_http.port}"


def cloud_cli_environment(stack: StackSettings, project_id: str) -> dict[str, str]:
    """The variables for gcloud and gsutil; writes the scratch folders they name."""
    folder = storage_state_dir(stack)
    gcloud_config = folder / "gcloud"
    gcloud_config.mkdir(parents=True, exist_ok=True)
    boto = folder / "boto.cfg"
    https = stack.storage_https
    boto.write_text(BOTO_FILE.format(host=https.host, port=https.port, project_id=project_id))
    return {
        "CLOUDSDK_CONFIG": str(gcloud_config),
        "CLOUDSDK_CORE_PROJECT": project_id,
        "CLOUDSDK_AUTH_DISABLE_CREDENTIALS": "true",
        "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": f"{stack.storage_http.url}/",
        "BOTO_CONFIG": str(boto),
    }
