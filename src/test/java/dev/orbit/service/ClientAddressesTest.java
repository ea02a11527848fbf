package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    @Test
    void ipv6_addresses_are_reduced_to_their_64_bit_network_and_everything_else_is_kept() {
        assertThat(ClientAddresses.throttleKey("2001:db8:1:2::5")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.throttleKey("2001:0DB8:0001:0002:ffff:0:0:1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.throttleKey("[2001:db8:1:2::9]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.throttleKey("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(ClientAddresses.throttleKey("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddresses.throttleKey("::1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddresses.throttleKey("::ffff:192.0.2.1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddresses.throttleKey(" 192.0.2.1 ")).isEqualTo("192.0.2.1");
        assertThat(ClientAddresses.throttleKey("1:2:3")).isEqualTo("1:2:3");
        assertThat(ClientAddresses.throttleKey("1::2::3")).isEqualTo("1::2::3");
        assertThat(ClientAddresses.throttleKey("not an address")).isEqualTo("not an address");
        assertThat(ClientAddresses.throttleKey(null)).isNull();
        assertThat(ClientAddresses.throttleKey(" ")).isNull();
    }
}
