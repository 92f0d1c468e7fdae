package com.thephillymojo.ws.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.store.PlayStore.TableChange;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table change as one task publishes it to the others: three lines —
 * {@code ["TASK", "ID", VERSION, ["USER", …], ["MESSAGE", …]]} (the writer, the table, its new version,
 * -1 for messages only, who sits there, the messages besides its state), then the news' delta
 * ({@link TableCodec}) and its state message, each as is or empty. Not the table itself: the news says
 * what changed, so a change costs the other tasks no reading; and the state message is not JSON inside
 * JSON, which would be escaped and unescaped at every change. JSON writes no raw newline, so the lines
 * are the framing.
 */
final class ChangeCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeCodec() {
    }

    static String encode(String taskId, TableChange change) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeString(taskId);
            g.writeString(change.id());
            g.writeNumber(change.version());
            strings(g, change.seated());
            strings(g, change.events());
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.append('\n');
        change.news().ifPresent(news -> {
            news.delta().ifPresent(d -> out.append(TableCodec.encode(d)));
            out.append('\n').append(news.state());
        });
        return out.toString();
    }

    /**
     * A published change; one that {@code ownTask} wrote is read only as far as its seats (the task
     * has shown it already).
     */
    static TableChange decode(String message, String ownTask) throws IOException {
        int first = message.indexOf('\n');
        if (first < 0) {
            throw new IOException("a table change without its news");
        }
        try (JsonParser p = JSON.getFactory().createParser(message.substring(0, first))) {
            expect(p, JsonToken.START_ARRAY);
            String origin = text(p);
            String id = text(p);
            expect(p, JsonToken.VALUE_NUMBER_INT);
            long version = p.getLongValue();
            List<String> seated = strings(p);
            if (origin.equals(ownTask) && version >= 0) {
                return new TableChange(id, version, seated, List.of(), Optional.empty());
            }
            List<String> events = strings(p);
            int second = message.indexOf('\n', first + 1);
            Optional<TableNews> news = Optional.empty();
            if (second > 0) {
                String delta = message.substring(first + 1, second);
                news = Optional.of(new TableNews(delta.isEmpty() ? Optional.empty() : Optional.of(TableCodec.decodeDelta(delta)),
                        message.substring(second + 1)));
            }
            return new TableChange(id, version, seated, events, news);
        }
    }

    private static void strings(JsonGenerator g, List<String> items) throws IOException {
        g.writeStartArray();
        for (String item : items) {
            g.writeString(item);
        }
        g.writeEndArray();
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        if (p.nextToken() != token) {
            throw new IOException("a table change that is not " + token + " at " + p.currentLocation());
        }
    }

    private static String text(JsonParser p) throws IOException {
        expect(p, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static List<String> strings(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY);
        List<String> items = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            items.add(p.getText());
        }
        return items;
    }
}
