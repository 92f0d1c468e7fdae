package com.thephillymojo.ws.runbook.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreflightTest {
    @Test
    void aSessionIsSimulatedAsItsRoleAndTheRootIsNot() {
        assertEquals(Optional.of("arn:aws:iam::123456789012:role/Deployer"),
                new Preflight.Identity("123456789012", "arn:aws:sts::123456789012:assumed-role/Deployer/alice").principal());
        assertEquals(Optional.of("arn:aws:iam::123456789012:user/ops/alice"),
                new Preflight.Identity("123456789012", "arn:aws:iam::123456789012:user/ops/alice").principal());
        Preflight.Identity root = new Preflight.Identity("123456789012", "arn:aws:iam::123456789012:root");
        assertTrue(root.root());
        assertEquals(Optional.empty(), root.principal());
        assertEquals(Optional.empty(), new Preflight.Identity("123456789012", "arn:aws:sts::123456789012:federated-user/bob").principal());
    }
}
