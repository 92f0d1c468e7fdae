package com.thephillymojo.ws.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged server/bin/bgmoves, run as a user runs it. */
class BgMovesScriptIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("project.root", ".."), "server", "bin", "bgmoves");

    @Test
    void theScriptAnswersABatchFromStandardInput() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            input.append("4HPwATDgc/ABMA ").append(1 + i % 6).append(' ').append(1 + (i / 6) % 6).append('\n');
        }
        Process process = new ProcessBuilder(SCRIPT.toString(), "--batch").start();
        process.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(2000, out.split("\n\n", -1).length - 1, "one block per line");
    }

    @Test
    void theScriptRefusesBadInputWithExitCodeTwo() throws Exception {
        Process process = new ProcessBuilder(SCRIPT.toString(), "4HPwATDgc/ABMA", "0", "1").start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertTrue(err.contains("a die is 1 to 6"), err);
    }
}
