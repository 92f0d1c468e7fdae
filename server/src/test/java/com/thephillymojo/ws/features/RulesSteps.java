package com.thephillymojo.ws.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.game.Boards;
import com.thephillymojo.ws.game.Position;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Steps of rules.feature: they run server/bin/bgmoves as a user would. */
public class RulesSteps {
    private Position position;
    private List<String> plays;
    private int exitCode;
    private String stderr;

    @Given("the starting position")
    public void theStartingPosition() {
        position = Position.START;
    }

    @Given("the side on roll has {string} and the opponent has {string}")
    public void aBoard(String onRoll, String opponent) {
        position = Boards.board(onRoll, opponent);
    }

    @When("the side on roll rolls {int} and {int}")
    public void rolls(int d1, int d2) throws Exception {
        bgmoves(position.id(), String.valueOf(d1), String.valueOf(d2));
        assertEquals(0, exitCode, stderr);
    }

    @When("bgmoves is asked about position {string} with {int} and {int}")
    public void askedAbout(String id, int d1, int d2) throws Exception {
        bgmoves(id, String.valueOf(d1), String.valueOf(d2));
    }

    private void bgmoves(String... args) throws Exception {
        String script = Paths.get(System.getProperty("project.root", ".."), "server", "bin", "bgmoves").toString();
        String[] command = new String[args.length + 1];
        command[0] = script;
        System.arraycopy(args, 0, command, 1, args.length);
        java.nio.file.Path outFile = java.nio.file.Files.createTempFile("bgmoves", ".out");
        java.nio.file.Path errFile = java.nio.file.Files.createTempFile("bgmoves", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bgmoves finished");
        String out = java.nio.file.Files.readString(outFile);
        stderr = java.nio.file.Files.readString(errFile);
        java.nio.file.Files.delete(outFile);
        java.nio.file.Files.delete(errFile);
        exitCode = process.exitValue();
        plays = out.lines().toList();
    }

    @Then("bgmoves lists {int} plays")
    public void listsPlays(int n) {
        assertEquals(n, plays.size(), String.join("\n", plays));
    }

    @Then("{string} is one of them")
    public void isOneOfThem(String play) {
        assertTrue(plays.contains(play), play + " not in " + plays);
    }

    @Then("bgmoves lists exactly:")
    public void listsExactly(List<String> expected) {
        assertEquals(new TreeSet<>(expected), new TreeSet<>(plays));
        assertEquals(plays.size(), Set.copyOf(plays).size(), "each play once");
    }

    @Then("bgmoves lists no play")
    public void listsNoPlay() {
        assertEquals(List.of(), plays);
    }

    @Then("bgmoves fails with exit code {int} saying {string}")
    public void failsWith(int code, String message) {
        assertEquals(code, exitCode);
        assertTrue(stderr.contains(message), stderr);
    }
}
