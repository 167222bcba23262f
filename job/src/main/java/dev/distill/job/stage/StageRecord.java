package dev.distill.job.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A committed stage, written last by the stage's run ({@code _stages/<name>.stage.json}): the
 * settings it ran with (and their hash), the stages it read, every file it wrote with its length,
 * its summary and how long it took. A stage without a record did not finish.
 */
public record StageRecord(
    @JsonProperty("stage") String stage,
    @JsonProperty("settings_sha256") String settingsSha256,
    @JsonProperty("settings") JsonNode settings,
    @JsonProperty("reads") List<String> reads,
    @JsonProperty("outputs") Map<String, Long> outputs,
    @JsonProperty("summary") JsonNode summary,
    @JsonProperty("millis") long millis,
    @JsonProperty("config_sha256") String configSha256) {}
