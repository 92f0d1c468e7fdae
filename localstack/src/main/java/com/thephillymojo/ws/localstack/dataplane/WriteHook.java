package com.thephillymojo.ws.localstack.dataplane;

/**
 * A seam for tests of the data plane's concurrency: called on the plane's own thread after it has
 * read a resource and decided what to change, just before it writes. A test that makes an API call
 * here lands exactly in the window where a write-back of the copy read would undo it.
 */
@FunctionalInterface
public interface WriteHook {
    WriteHook NONE = (resource, change) -> { };

    /**
     * @param resource the task's or service's ARN, or {@code targetGroupArn|id:port} for a target
     * @param change   what the plane is about to write (e.g. {@code lastStatus=PENDING}, {@code health=healthy})
     */
    void beforeWrite(String resource, String change);
}
