"""Where the local stack's components listen; each address moves with its environment variable."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from events.settings import Address
from services.frontend.auth_settings import JWKS_PATH


class StackSettings(BaseSettings):
    """The emulator variables are the standard ones the Google client libraries read themselves."""

    model_config = SettingsConfigDict(extra="ignore")

    pubsub_emulator_host: str = Field("127.0.0.1:8085", alias="PUBSUB_EMULATOR_HOST")
    firestore_emulator_host: str = Field("127.0.0.1:8086", alias="FIRESTORE_EMULATOR_HOST")
    storage_emulator_host: str = Field("http://127.0.0.1:9023", alias="STORAGE_EMULATOR_HOST")
    # The storage emulator also serves HTTPS, for gsutil, which speaks nothing else.
    storage_https_address: str = Field("127.0.0.1:9443", alias="LEAGUE_STORAGE_HTTPS_ADDRESS")
    frontend_address: str = Field("127.0.0.1:8080", alias="LEAGUE_FRONTEND_ADDRESS")
    stats_address: str = Field("127.0.0.1:8091", alias="LEAGUE_STATS_ADDRESS")
    playerops_address: str = Field("127.0.0.1:8092", alias="LEAGUE_PLAYEROPS_ADDRESS")
    transfer_address: str = Field("127.0.0.1:8093", alias="LEAGUE_TRANSFER_ADDRESS")
    function_address: str = Field("127.0.0.1:8094", alias="LEAGUE_FUNCTION_ADDRESS")
    issuer_address: str = Field("127.0.0.1:8095", alias="LEAGUE_ISSUER_ADDRESS")
    prometheus_address: str = Field("127.0.0.1:9090", alias="LEAGUE_PROMETHEUS_ADDRESS")
    # Files the stack makes for itself: the storage emulator's bucket folder, and the scratch
    # gcloud and gsutil configuration that `league dev env` points a shell at.
    state_dir: Path = Field(Path.home() / ".cache" / "league-app", alias="LEAGUE_DEV_STATE_DIR")

    @property
    def storage_http(self) -> Address:
        return Address.parse(self.storage_emulator_host)

    @property
    def storage_https(self) -> Address:
        return Address.parse(self.storage_https_address)

    @property
    def issuer(self) -> Address:
        return Address.parse(self.issuer_address)

    @property
    def issuer_key_file(self) -> Path:
        """The token issuer's private key, written at its start, read by `league dev token`."""
        return self.state_dir / f"issuer-{self.issuer.port}" / "signing-key.json"

    def client_environment(self) -> dict[str, str]:
        """The variables every process of the stack needs to find the emulators and to trust the
        stack's token issuer."""
        return {
            "PUBSUB_EMULATOR_HOST": self.pubsub_emulator_host,
            "FIRESTORE_EMULATOR_HOST": self.firestore_emulator_host,
            "STORAGE_EMULATOR_HOST": self.storage_emulator_host,
            "LEAGUE_AUTH_ISSUER": self.issuer.url,
            "LEAGUE_AUTH_JWKS_URL": f"{self.issuer.url}{JWKS_PATH}",
        }
