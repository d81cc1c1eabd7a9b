package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One recurring window of a CapacityReservation: a cron start in an IANA time zone, a duration and
 * an optional lead time (docs/time-windows.md, "On a CapacityReservation"). The API server checks
 * the form; cron syntax and the zone name are checked by the operator ({@code Ready=False}, reason
 * {@code InvalidWindow}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservationWindow {
  /**
   * Go-style durations as Kubernetes writes them: {@code 12h}, {@code 90m}, {@code 1h30m}. Each
   * part has few enough digits that CEL's {@code duration()} and the operator can read it (a
   * 20-digit hour count overflows both).
   */
  static final String DURATION = "^([0-9]{1,5}h)?([0-9]{1,7}m)?([0-9]{1,9}s)?$";

  /** The longest window: a year (docs/time-windows.md, "On a CapacityReservation"). */
  static final String MAX_DURATION = "8760h";

  /** The longest lead time: a week. */
  static final String MAX_LEAD = "168h";

  // CEL evaluates even when the pattern has failed: read the duration only when it has the form.
  private static final String READABLE = "!self.matches('" + DURATION + "') || ";

  @Required
  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Five-field cron expression of each start, read in timeZone (e.g. \"0 8 * * 1-5\").")
  private String schedule;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("IANA time zone the schedule is read in (e.g. Asia/Shanghai, UTC).")
  private String timeZone;

  @Required
  @Size(max = 24)
  @Pattern(DURATION)
  @ValidationRule(
      value = "self != '' && (" + READABLE + "duration(self) > duration('0s'))",
      message = "duration must be positive, e.g. 12h or 90m")
  @ValidationRule(
      value = READABLE + "duration(self) <= duration('" + MAX_DURATION + "')",
      message = "duration must be at most " + MAX_DURATION + " (one year)")
  @JsonPropertyDescription("How long each window lasts from its start (elapsed time), e.g. 12h.")
  private String duration;

  @Size(max = 24)
  @Pattern(DURATION)
  @ValidationRule(
      value = READABLE + "duration(self) <= duration('" + MAX_LEAD + "')",
      message = "lead must be at most " + MAX_LEAD + " (one week)")
  @JsonPropertyDescription(
      "Lead time before each start: placeholders warm capacity and the slots are live (and"
          + " billed) from start minus lead, e.g. 10m.")
  private String lead;

  public ReservationWindow() {}

  public ReservationWindow(String schedule, String timeZone, String duration, String lead) {
    this.schedule = schedule;
    this.timeZone = timeZone;
    this.duration = duration;
    this.lead = lead;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public String getLead() {
    return lead;
  }

  public void setLead(String lead) {
    this.lead = lead;
  }

  @Override
  public String toString() {
    return schedule + "|" + timeZone + "|" + duration + "|" + lead;
  }
}
