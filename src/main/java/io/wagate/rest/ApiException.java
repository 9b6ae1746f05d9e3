package io.wagate.rest;

/** An error with its HTTP status and the literal {@code error.message} of the contract. */
public class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException invalidToken() {
    return new ApiException(401, "Invalid token");
  }

  public static ApiException instanceNotFound() {
    return new ApiException(404, "Instance not found");
  }

  public static ApiException invalidBody() {
    return new ApiException(400, "Invalid request body");
  }

  public static ApiException unavailable(String dependency) {
    return new ApiException(503, "Service temporarily unavailable: " + dependency);
  }
}
