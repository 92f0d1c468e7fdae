package com.thephillymojo.ws.localstack;

import com.thephillymojo.ws.localstack.protocol.Protocol;
import com.thephillymojo.ws.localstack.protocol.ServiceSpec;
import java.util.List;

/** The services this emulator answers, with their wire protocol and routing. */
final class Services {
    private Services() {
    }

    static List<ServiceSpec> all(LocalAws aws) {
        return List.of(
                new ServiceSpec("ecr", Protocol.AWS_JSON_1_1, "AmazonEC2ContainerRegistry_V20150921", null, false,
                        aws::newEcrBackend));
    }
}
