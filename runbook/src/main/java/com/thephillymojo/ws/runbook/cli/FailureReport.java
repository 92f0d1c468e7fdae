package com.thephillymojo.ws.runbook.cli;

import com.thephillymojo.ws.runbook.infra.CallErrors;
import com.thephillymojo.ws.runbook.steps.Request;
import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.PickleStepTestStep;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestStepFinished;

/**
 * A Cucumber plugin: the moment a step fails, says which and why in one line of the run's output
 * (an AWS error with its service, operation, code and resource; the HTML and JSON reports keep the
 * stack trace), and marks the run failed so that the scenarios after it, which build on
 * it, do not run.
 */
final class FailureReport implements ConcurrentEventListener {
    private final Request request;

    FailureReport(Request request) {
        this.request = request;
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestStepFinished.class, this::finished);
    }

    private void finished(TestStepFinished event) {
        if (event.getResult().getStatus() != Status.FAILED || event.getResult().getError() == null) {
            return;
        }
        String step = event.getTestStep() instanceof PickleStepTestStep s ? s.getStep().getText() : event.getTestStep().getCodeLocation();
        Throwable error = event.getResult().getError();
        String message = CallErrors.describe(error, request.cloud().environment.variables());
        if (request.firstFailure().compareAndSet(null, step)) {
            request.firstError().set(error);
            request.cloud().journal.note("FAILED: " + step + "\n      " + message);
        }
    }
}
