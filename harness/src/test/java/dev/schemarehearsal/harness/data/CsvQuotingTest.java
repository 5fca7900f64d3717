package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.data.CsvQuoting.Kind;
import dev.schemarehearsal.harness.data.CsvQuoting.Problem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CsvQuotingTest {

    private static Optional<Problem> find(String text) throws IOException {
        return CsvQuoting.find(new StringReader(text));
    }

    @Test
    void aQuoteLeftOpenIsFoundWhereItOpensNotWhereTheFileEnds() throws IOException {
        assertThat(find("id,name,code\n1,a,A\n2,\"b,B\n3,c,C\n4,d,D\n"))
                .contains(new Problem(Kind.UNTERMINATED, 3, 3, 1, 3, 3));
    }

    @Test
    void quotedCommasLineBreaksAndDoubledQuotesAreFine() throws IOException {
        assertThat(find("id,name\n1,\"a, \"\"b\"\"\nc\"\n2,\"\"\n3,\n")).isEmpty();
        assertThat(find("id,name\r\n1,\"a\r\nb\"\r\n2,x\r\n")).isEmpty();
        assertThat(find("id,name\n1,\"last field, no line break\"")).isEmpty();
    }

    @Test
    void aQuoteInsideAQuotedFieldThatIsNotDoubledIsFoundAtTheFieldsOpeningQuote() throws IOException {
        // A quote meant as text inside a quoted field ends the field early.
        assertThat(find("id,name,code\n1,\"he said \"hi\" twice\",X\n"))
                .contains(new Problem(Kind.UNDOUBLED, 2, 3, 1, 2, 12));
        // A missing closing quote: the field runs on to the next quote, which the next line opens with.
        assertThat(find("id,name,code\n1,\"abc,X\n2,\"def\",Y\n"))
                .contains(new Problem(Kind.UNDOUBLED, 2, 3, 1, 3, 3));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsFound() throws IOException {
        assertThat(find("id,size\n1,12\" pipe\n2,x\n")).contains(new Problem(Kind.IN_UNQUOTED, 2, 5, 1, 2, 5));
    }

    @Test
    void positionsCountLinesAsTheFileHasThemAndCharactersNotBytesOrUtf16Units() throws IOException {
        // A byte order mark is not a character; CR LF, LF and a lone CR each end one line; an emoji is one character.
        assertThat(find("\uFEFFid,name\r\n1,\"x\ny\"\r2,\uD83C\uDF55,\"open\n"))
                .contains(new Problem(Kind.UNTERMINATED, 4, 5, 2, 4, 5));
        assertThat(find("\"id,name\n1,x\n")).contains(new Problem(Kind.UNTERMINATED, 1, 1, 0, 1, 1));
    }
}
