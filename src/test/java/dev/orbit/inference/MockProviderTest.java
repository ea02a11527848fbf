package dev.orbit.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockProviderTest {
    private final MockProvider mock = new MockProvider();

    private static InferenceRequest request(ChatMessage... messages) {
        return new InferenceRequest("any-model", List.of(messages), InferenceOptions.NONE);
    }

    @Test
    void theReplyEchoesTheLastUserMessage() {
        InferenceRequest request = request(ChatMessage.system("Be brief."), ChatMessage.user("first"),
                ChatMessage.assistant("Echo: first"), ChatMessage.user("what is  ORBIT?"));

        assertThat(mock.complete(request).text()).isEqualTo("Echo: what is  ORBIT?");
    }

    @Test
    void theSameInputGivesTheSameReplyEveryTime() {
        InferenceRequest request = request(ChatMessage.user("hello world"));

        assertThat(mock.complete(request)).isEqualTo(mock.complete(request));
        assertThat(mock.complete(request)).isEqualTo(new MockProvider().complete(request));
    }

    @Test
    void withoutAUserMessageTheReplySaysSo() {
        assertThat(mock.complete(request(ChatMessage.system("Be brief."))).text())
                .isEqualTo("Echo: (no user message)");
    }

    @Test
    void aStreamComesInWordSizedPiecesThatMakeUpTheReply() {
        InferenceRequest request = request(ChatMessage.user("hello big\nworld"));
        List<String> pieces = new ArrayList<>();

        Completion completion = mock.stream(request, pieces::add);

        assertThat(pieces).containsExactly("Echo:", " hello", " big", "\nworld");
        assertThat(completion).isEqualTo(mock.complete(request));
        assertThat(String.join("", pieces)).isEqualTo(completion.text());
    }

    @Test
    void aSinkThatSaysStopGetsNoMorePieces() {
        List<String> pieces = new ArrayList<>();

        Completion completion = mock.stream(request(ChatMessage.user("one two three")), piece -> {
            pieces.add(piece);
            return pieces.size() < 2;
        });

        assertThat(pieces).containsExactly("Echo:", " one");
        assertThat(completion.cancelled()).isTrue();
        assertThat(completion.text()).isEqualTo("Echo: one");
    }

    @Test
    void usageIsEstimatedAtFourCharactersPerToken() {
        // "12345678" is 2 tokens; "Echo: 12345678" is 14 characters, 4 tokens.
        Completion completion = mock.complete(request(ChatMessage.user("12345678")));

        assertThat(completion.usage()).isEqualTo(new Usage(2, 4, true));
        assertThat(completion.usage().totalTokens()).isEqualTo(6);
    }
}
