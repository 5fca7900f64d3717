package dev.schemarehearsal.harness.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code report.json}: the whole result, field names as in the SPEC, enums in lower case. */
final class JsonReport {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule()
                    .addSerializer(Enum.class, new LowerCaseEnum())
                    .addSerializer(Rule.class, new RuleId()))
            .build();

    private JsonReport() {
    }

    static void write(RehearsalResult result, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), result);
    }

    @SuppressWarnings("rawtypes")
    private static final class LowerCaseEnum extends JsonSerializer<Enum> {
        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    private static final class RuleId extends JsonSerializer<Rule> {
        @Override
        public void serialize(Rule value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.id());
        }
    }
}
