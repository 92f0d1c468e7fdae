package com.thephillymojo.ws.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One emulator per test class, on a free port, closed afterwards. These are API tests: the data
 * plane is off, so what they read back is what the API did, not how far a task or a health check
 * has got (the data plane has its own tests in {@code dataplane/}).
 */
abstract class EmulatorTestBase {
    static LocalAws aws;

    @BeforeAll
    static void startEmulator() {
        aws = LocalAws.start(LocalAws.Options.defaults().dataPlane(false));
    }

    @AfterAll
    static void stopEmulator() {
        aws.close();
    }
}
