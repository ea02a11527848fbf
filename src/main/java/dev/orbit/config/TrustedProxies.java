package dev.orbit.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which peers are reverse proxies whose {@code X-Forwarded-For} is believed ({@code security.rate_limiting.trusted_proxies},
 * addresses or CIDRs), and the one rule that finds a request's client address: the socket's peer, unless that peer
 * is a trusted proxy; then the right-most hop of {@code X-Forwarded-For} that is not a trusted proxy (each proxy
 * appends the address it saw, so hops left of the first untrusted one were written by the client and prove nothing).
 */
public final class TrustedProxies {
    /** No proxy trusted: the client address is always the socket's peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final int MAX_HOPS = 64;

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Parses addresses and CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8}); an entry that is neither is refused. */
    public static TrustedProxies parse(List<String> entries) {
        List<Network> networks = new ArrayList<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR: '" + entry + "'");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + entry + "'");
                }
            }
            networks.add(new Network(address, bits));
        }
        return new TrustedProxies(networks);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /**
     * The client's address: {@code peer} unless it is a trusted proxy, else the right-most untrusted hop of the
     * {@code X-Forwarded-For} values (several headers count as one list, in order). A malformed hop ends the walk at
     * the proxy that passed it on; when every hop is trusted, the left-most one.
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (networks.isEmpty() || forwardedFor.isEmpty() || !trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",", MAX_HOPS + 1)) {
                hops.add(hop.strip());
            }
        }
        String nearest = peer;
        for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
            String hop = hops.get(i);
            byte[] address = literal(hop);
            if (address == null) {
                return nearest;
            }
            if (!contains(address)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest;
    }

    private boolean trusted(String address) {
        byte[] bytes = address == null ? null : literal(address);
        return bytes != null && contains(bytes);
    }

    private boolean contains(byte[] address) {
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null; never a name lookup. */
    private static byte[] literal(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean v4 = IPV4.matcher(t).matches();
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        } else if (!IPV6.matcher(t).matches()) {
            return null; // only literals reach InetAddress, so it never resolves a name
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
