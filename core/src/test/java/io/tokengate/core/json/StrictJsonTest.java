package io.tokengate.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

    private static Map<String, Object> parse(String json) throws StrictJson.MalformedJson {
        return StrictJson.parseObject(json);
    }

    @Test
    void readsEveryKindOfValueInMemberOrder() throws Exception {
        Map<String, Object> m = parse(" {\"s\":\"x\", \"i\":-42, \"z\":0, \"d\":1.5e3, \"f\":-0.25, \"t\":true, \"n\":null, \"b\":false,"
                + " \"a\":[1,\"two\",[],{}], \"o\":{\"k\":[null]}}\r\n\t");
        assertEquals(List.of("s", "i", "z", "d", "f", "t", "n", "b", "a", "o"), List.copyOf(m.keySet()));
        assertEquals("x", m.get("s"));
        assertEquals(-42L, m.get("i"));
        assertEquals(0L, m.get("z"));
        assertEquals(1500.0, m.get("d"));
        assertEquals(-0.25, m.get("f"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(Boolean.FALSE, m.get("b"));
        assertEquals(Arrays.asList(1L, "two", List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", Arrays.asList((Object) null)), m.get("o"));
    }

    @Test
    void integersAreLongsAsJose4jReadsThem() throws Exception {
        Map<String, Object> m = parse("{\"max\":9223372036854775807,\"min\":-9223372036854775808}");
        assertEquals(Long.MAX_VALUE, m.get("max"));
        assertEquals(Long.MIN_VALUE, m.get("min"));
    }

    @Test
    void decodesEveryEscape() throws Exception {
        Map<String, Object> m = parse("{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\",\"plain\":\"caf\u00e9 \u20ac\"}");
        assertEquals("\"\\/\b\f\n\r\t\u00e9\u20ac\ud83d\ude00", m.get("e"));
        assertEquals("caf\u00e9 \u20ac", m.get("plain"));
    }

    @Test
    void resultsAreReadOnlyAllTheWayDown() throws Exception {
        Map<String, Object> m = parse("{\"a\":[{\"b\":[1]}]}");
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1));
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) m.get("a");
        assertThrows(UnsupportedOperationException.class, () -> a.add(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) a.get(0);
        assertThrows(UnsupportedOperationException.class, inner::clear);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
            "", " ", "[]", "\"s\"", "42", "null", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
            "{a:1}", "{'a':1}", "{\"a\":1}}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":[1 2]}",
            "{\"a\":01}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":0x10}",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e999}", "{\"a\":9223372036854775808}", "{\"a\":tru}", "{\"a\":nul}",
            "{\"a\":True}", "{\"a\":\"unterminated}", "{\"a\":\"bad \\x escape\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}",
            "{\"a\":\"tab\there\"}", "{\"a\":\"new\nline\"}", "{\"a\":\"nul\u0000\"}", "\ufeff{\"a\":1}", "{\"a\":1}\u00a0",
            "{\"a\":1,\"a\":2}", "{\"a\":null,\"a\":null}", "{\"o\":{\"k\":1,\"k\":1}}",
            "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\ude00\"}", "{\"a\":\"\\ud83dx\"}", "{\"a\":\"\\ud83d\\u0041\"}",
            "{\"a\":\"\\ude00\\ud83d\"}", "{\"a\":\"\\u\uff10\uff10\uff16b\"}", "{\"a\":\"\\u\u0660\u0660\u0666b\"}"})
    void refusesWhatRfc8259DoesNotAllowAndDuplicateNames(String text) {
        assertThrows(StrictJson.MalformedJson.class, () -> parse(text));
    }

    @Test
    void nestingUpToTheLimitIsReadAndBeyondItRefusedWithoutDeepRecursion() throws Exception {
        int inner = StrictJson.MAX_DEPTH - 1;
        parse("{\"a\":" + "[".repeat(inner) + "]".repeat(inner) + "}");
        assertThrows(StrictJson.MalformedJson.class, () -> parse("{\"a\":" + "[".repeat(inner + 1) + "]".repeat(inner + 1) + "}"));
        assertThrows(StrictJson.MalformedJson.class, () -> parse("{\"a\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_001)));
        assertThrows(StrictJson.MalformedJson.class, () -> parse("{\"a\":" + "[".repeat(1_000_000)));
    }

    @Test
    void agreesWithJose4jOnWhatBothAccept() throws Exception {
        // random claim sets written by jose4j come back equal: the two readers see the same values
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            Map<String, Object> claims = new LinkedHashMap<>();
            for (int k = 0, n = 1 + random.nextInt(8); k < n; k++) {
                claims.put("c" + k + randomString(random), randomValue(random, 0));
            }
            String json = JsonUtil.toJson(claims);
            assertEquals(JsonUtil.parseJson(json), parse(json), json);
        }
    }

    private static Object randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 3 ? 5 : 7)) {
            case 0:
                return randomString(random);
            case 1:
                return random.nextLong();
            case 2:
                return random.nextBoolean();
            case 3:
                return random.nextInt(1_000_000) / 8.0 + 0.5;
            case 4:
                return null;
            case 5:
                List<Object> list = new java.util.ArrayList<>();
                for (int k = 0, n = random.nextInt(4); k < n; k++) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            default:
                Map<String, Object> map = new LinkedHashMap<>();
                for (int k = 0, n = random.nextInt(4); k < n; k++) {
                    map.put("m" + k, randomValue(random, depth + 1));
                }
                return map;
        }
    }

    private static String randomString(Random random) {
        String alphabet = "abcXYZ019 \"\\/\b\f\n\r\t\u0001\u001f\u00e9\u20ac\ud83d\ude00<>&'";
        StringBuilder sb = new StringBuilder();
        for (int k = 0, n = random.nextInt(12); k < n; k++) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append('\ude00');
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
