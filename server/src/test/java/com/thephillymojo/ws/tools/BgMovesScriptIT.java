package com.thephillymojo.ws.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server/bin/bgmoves, run as a user runs it. */
class BgMovesScriptIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("project.root", ".."), "server", "bin", "bgmoves");

    @Test
    void theScriptAnswersABatchFromStandardInput(@TempDir Path dir) throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            input.append("4HPwATDgc/ABMA ").append(1 + i % 6).append(' ').append(1 + (i / 6) % 6).append('\n');
        }
        Process process = new ProcessBuilder(SCRIPT.toString(), "--batch").redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        process.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bgmoves finished");
        String out = Files.readString(dir.resolve("out"));
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("err")));
        assertEquals(2000, out.split("\n\n", -1).length - 1, "one block per line");
    }

    @Test
    void theScriptRefusesBadInputWithExitCodeTwo(@TempDir Path dir) throws Exception {
        Process process = new ProcessBuilder(SCRIPT.toString(), "4HPwATDgc/ABMA", "0", "1").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err").toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bgmoves finished");
        String err = Files.readString(dir.resolve("err"));
        assertEquals(2, process.exitValue());
        assertTrue(err.contains("a die is 1 to 6"), err);
    }
}
