package com.thephillymojo.ws.runbook.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API's JSON: one mapper, and the two shapes every route shares — a failure and an error body. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A failed operation or read: {@code {step, service, code, message}} (service and code for AWS's errors). */
    static ObjectNode failure(Operator.Failure f) {
        ObjectNode o = object();
        o.put("step", f.step());
        f.service().ifPresent(s -> o.put("service", s));
        f.code().ifPresent(c -> o.put("code", c));
        o.put("message", f.message());
        return o;
    }

    /** A refused call's body: {@code {"error": {"code", "message"}}}. */
    static ObjectNode error(String code, String message) {
        ObjectNode o = object();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return o;
    }
}
