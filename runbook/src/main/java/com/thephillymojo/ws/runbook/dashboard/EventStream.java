package com.thephillymojo.ws.runbook.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Server-Sent Events to every open page: {@code overview}, {@code samples} and {@code action}
 * events, each a JSON document. Each page is served by a thread of its own from a queue of its
 * own; a page that stops reading is dropped (it reconnects, as EventSource does, and starts
 * again from the whole picture).
 */
final class EventStream {
    private static final int QUEUED = 256;
    private static final long KEEPALIVE_SECONDS = 15;
    private static final String CLOSE = "";

    private final Set<BlockingQueue<String>> pages = ConcurrentHashMap.newKeySet();

    /** An event to every open page. */
    void publish(String event, String json) {
        String frame = "event: " + event + "\ndata: " + json + "\n\n";
        for (BlockingQueue<String> page : pages) {
            if (!page.offer(frame)) {
                page.clear();
                page.offer(CLOSE);
            }
        }
    }

    boolean watched() {
        return !pages.isEmpty();
    }

    /** Serves one page until it goes away or the dashboard stops: {@code first} are the events it starts with. */
    void serve(Response response, Callback callback, List<String[]> first) {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUED);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        pages.add(queue);
        try {
            write(response, "retry: 2000\n\n");
            for (String[] event : first) {
                write(response, "event: " + event[0] + "\ndata: " + event[1] + "\n\n");
            }
            while (true) {
                String frame = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (CLOSE.equals(frame)) {
                    break;
                }
                write(response, frame == null ? ": keep-alive\n\n" : frame);
            }
            callback.succeeded();
        } catch (Exception e) {
            // the page went away (or the dashboard stops)
            callback.failed(e);
        } finally {
            pages.remove(queue);
        }
    }

    /** Ends every stream (the dashboard stops). */
    void close() {
        for (BlockingQueue<String> page : pages) {
            page.clear();
            page.offer(CLOSE);
        }
    }

    private static void write(Response response, String text) throws Exception {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.block();
        }
    }
}
