package com.thephillymojo.ws.localstack.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.thephillymojo.ws.localstack.AwsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CloudWatch Logs' filter pattern syntax, one row per case that CloudWatch's "Filter pattern
 * syntax" page describes: the pattern, a message, and whether CloudWatch says it matches.
 */
class FilterPatternTest {
    private static final String WARN = "{\"level\":\"warn\",\"status\":401,\"msg\":\"session expired\",\"user\":{\"id\":\"u-1\"},"
            + "\"tags\":[\"auth\",\"ws\"],\"latency\":12.5,\"retry\":false,\"trace\":null}";

    @ParameterizedTest(name = "[{index}] {0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // empty: every event
        "''                          | anything at all                  | true",
        // a term appears anywhere, case-sensitive
        "ERROR                       | [ERROR] disk full                | true",
        "ERROR                       | [error] disk full                | false",
        // all terms, in any order
        "ERROR Exception             | Exception: ERROR in thread main  | true",
        "ERROR Exception             | ERROR in thread main             | false",
        // a quoted phrase is one term, spaces and all
        "'\"stopping on SIGTERM\"'   | stopping on SIGTERM now          | true",
        "'\"stopping on SIGTERM\"'   | SIGTERM: stopping on             | false",
        // ?term: any of them
        "?ERROR ?WARN                | WARN low memory                  | true",
        "?ERROR ?WARN                | INFO all good                    | false",
        // -term: must not appear
        "ERROR -Exception            | ERROR disk full                  | true",
        "ERROR -Exception            | ERROR Exception                  | false",
        "'-\"health check\"'         | GET /health check                | false",
        // JSON: string equality, quoted or bare
        "'{ $.level = \"warn\" }'    | " + "'" + WARN + "' | true",
        "'{ $.level = warn }'        | " + "'" + WARN + "' | true",
        "'{ $.level = \"error\" }'   | " + "'" + WARN + "' | false",
        "'{ $.level != \"error\" }'  | " + "'" + WARN + "' | true",
        // JSON: numbers
        "'{ $.status = 401 }'        | " + "'" + WARN + "' | true",
        "'{ $.status != 401 }'       | " + "'" + WARN + "' | false",
        "'{ $.status >= 400 }'       | " + "'" + WARN + "' | true",
        "'{ $.status < 400 }'        | " + "'" + WARN + "' | false",
        "'{ $.latency > 12 }'        | " + "'" + WARN + "' | true",
        "'{ $.latency <= 12 }'       | " + "'" + WARN + "' | false",
        // a number never equals a string field, and a missing field matches nothing
        "'{ $.msg > 1 }'             | " + "'" + WARN + "' | false",
        "'{ $.missing = \"x\" }'     | " + "'" + WARN + "' | false",
        // wildcard
        "'{ $.msg = \"session*\" }'  | " + "'" + WARN + "' | true",
        "'{ $.msg = \"*expired\" }'  | " + "'" + WARN + "' | true",
        "'{ $.msg = \"expired*\" }'  | " + "'" + WARN + "' | false",
        // nested fields and arrays
        "'{ $.user.id = \"u-1\" }'   | " + "'" + WARN + "' | true",
        "'{ $.tags[1] = \"ws\" }'    | " + "'" + WARN + "' | true",
        "'{ $.tags[0] = \"ws\" }'    | " + "'" + WARN + "' | false",
        // && and ||, && binding tighter, parentheses
        "'{ $.level = \"warn\" && $.status = 401 }'                      | " + "'" + WARN + "' | true",
        "'{ $.level = \"warn\" && $.status = 500 }'                      | " + "'" + WARN + "' | false",
        "'{ $.level = \"error\" || $.status = 401 }'                     | " + "'" + WARN + "' | true",
        "'{ $.level = \"error\" || $.status = 500 && $.level = \"warn\" }' | " + "'" + WARN + "' | false",
        "'{ ($.level = \"error\" || $.status = 401) && $.level = \"warn\" }' | " + "'" + WARN + "' | true",
        // IS TRUE / IS FALSE / IS NULL / NOT EXISTS
        "'{ $.retry IS FALSE }'      | " + "'" + WARN + "' | true",
        "'{ $.retry IS TRUE }'       | " + "'" + WARN + "' | false",
        "'{ $.trace IS NULL }'       | " + "'" + WARN + "' | true",
        "'{ $.nothing NOT EXISTS }'  | " + "'" + WARN + "' | true",
        "'{ $.level NOT EXISTS }'    | " + "'" + WARN + "' | false",
        // a JSON pattern never matches a message that is not JSON
        "'{ $.level = \"warn\" }'    | level=warn                       | false",
    })
    void matchesAsCloudWatchDocuments(String pattern, String message, boolean expected) {
        assertEquals(expected, FilterPattern.parse(pattern).matches(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ $.level = \"warn\"", "{ level = warn }", "{ $.status >> 1 }", "\"unterminated", "{ $.a = 1 ) }",
            "{ $.msg > \"x\" }", "[ip, user]", "%ERR.*%"})
    void aPatternThatIsNotValidIsRefusedWithAwsCode(String pattern) {
        AwsException e = assertThrows(AwsException.class, () -> FilterPattern.parse(pattern));
        assertEquals("InvalidParameterException", e.code());
    }
}
