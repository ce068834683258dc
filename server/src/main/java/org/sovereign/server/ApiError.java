package org.sovereign.server;

/**
 * A refusal the local API answers with an OpenAI-style error body, {@code {"error": {"message", "type", "param",
 * "code"}}}. The message is one plain sentence meant for the person running the client; it never holds a stack trace.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiError(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** 400: the request itself is wrong. */
    public static ApiError badRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", null, param, message);
    }

    /** 401: no key, a wrong key, or a revoked client. */
    public static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", "invalid_api_key", null, message);
    }

    /** 403: the client's consent does not (or no longer) cover this call. */
    public static ApiError forbidden(String code, String message) {
        return new ApiError(403, "permission_error", code, null, message);
    }

    /** 404: no such model. */
    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' is not installed on this workstation.");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
