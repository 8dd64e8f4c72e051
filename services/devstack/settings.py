"""Where the local stack's components listen; each address moves with its environment variable."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StackSettings(BaseSettings):
    """The emulator variables are the standard ones the Google client libraries read themselves."""

    model_config = SettingsConfigDict(extra="ignore")

    pubsub_emulator_host: str = Field("127.0.0.1:8085", alias="PUBSUB_EMULATOR_HOST")
    firestore_emulator_host: str = Field("127.0.0.1:8086", alias="FIRESTORE_EMULATOR_HOST")
    storage_emulator_host: str = Field("http://127.0.0.1:9023", alias="STORAGE_EMULATOR_HOST")
    frontend_address: str = Field("127.0.0.1:8080", alias="LEAGUE_FRONTEND_ADDRESS")
    stats_address: str = Field("127.0.0.1:8091", alias="LEAGUE_STATS_ADDRESS")
    playerops_address: str = Field("127.0.0.1:8092", alias="LEAGUE_PLAYEROPS_ADDRESS")
    transfer_address: str = Field("127.0.0.1:8093", alias="LEAGUE_TRANSFER_ADDRESS")
    function_address: str = Field("127.0.0.1:8094", alias="LEAGUE_FUNCTION_ADDRESS")

    def client_environment(self) -> dict[str, str]:
        """The variables every process of the stack needs to find the emulators."""
        return {
            "PUBSUB_EMULATOR_HOST": self.pubsub_emulator_host,
            "FIRESTORE_EMULATOR_HOST": self.firestore_emulator_host,
            "STORAGE_EMULATOR_HOST": self.storage_emulator_host,
            # Where `league upload` delivers the finalize events the storage emulator does not send.
            "LEAGUE_FUNCTION_URL": f"http://{self.function_address}/",
        }
