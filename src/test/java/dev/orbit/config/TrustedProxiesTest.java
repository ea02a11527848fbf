package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule that finds a request's client address, and the parsing of {@code trusted_proxies}. */
class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.0.2.7", "fd00::/8"));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(proxies.clientAddress("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
        assertThat(TrustedProxies.NONE.clientAddress("10.0.0.1", List.of("198.51.100.1"))).isEqualTo("10.0.0.1");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("6.6.6.6, 198.51.100.1, 192.0.2.7")))
                .isEqualTo("198.51.100.1");
        assertThat(proxies.clientAddress("fd12::1", List.of("6.6.6.6", "2001:db8::9, 10.9.9.9")))
                .isEqualTo("2001:db8::9");
        assertThat(proxies.clientAddress("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void aMalformedHopEndsTheWalkAtTheProxyThatPassedItOn() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.1, evil.example, 192.0.2.7")))
                .isEqualTo("192.0.2.7");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("999.1.1.1"))).isEqualTo("10.1.2.3");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("10.0.0.9, 192.0.2.7"))).as("all trusted: left-most")
                .isEqualTo("10.0.0.9");
    }

    @Test
    void entriesThatAreNotAddressesOrCidrsAreRefused() {
        for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "1.2.3")) {
            assertThatThrownBy(() -> TrustedProxies.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
