package com.thephillymojo.ws.localstack.bench;

import com.thephillymojo.ws.localstack.LocalAws;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold start of the embedded emulator: constructed → first request answered (an ECR
 * DescribeRepositories over HTTP, written on a socket), in a fresh JVM each fork, once per fork: what a test run pays.
 *
 * <p>Run: {@code localstack/bin/bench ColdStartBenchmark}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class ColdStartBenchmark {

    /** The request is written on a plain socket, so that no HTTP client's own start-up is counted. */
    @Benchmark
    public String startAndAnswerTheFirstRequest() throws Exception {
        try (LocalAws aws = LocalAws.start(0); Socket socket = new Socket("127.0.0.1", aws.port())) {
            String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeRepositories\r\n"
                    + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("\"repositories\":[]")) {
                throw new IllegalStateException(answer);
            }
            return answer;
        }
    }
}
