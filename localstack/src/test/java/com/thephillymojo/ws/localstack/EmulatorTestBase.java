package com.thephillymojo.ws.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One emulator per test class, on a free port, closed afterwards. */
abstract class EmulatorTestBase {
    static LocalAws aws;

    @BeforeAll
    static void startEmulator() {
        aws = LocalAws.start(0);
    }

    @AfterAll
    static void stopEmulator() {
        aws.close();
    }
}
