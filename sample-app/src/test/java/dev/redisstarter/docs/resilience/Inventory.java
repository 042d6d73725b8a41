package dev.redisstarter.docs.resilience;

import java.util.OptionalLong;

import io.lettuce.core.ScriptOutputType;
import org.springframework.stereotype.Service;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

import static java.nio.charset.StandardCharsets.UTF_8;

// tag::usage[]
@Service
class Inventory {

    private static final LuaScript<Long> FENCED_WRITE = LuaScript.load("dev/redisstarter/sample/fenced-write.lua", Long.class);

    private final RedisCalls redis;

    Inventory(RedisCalls redis) {
        this.redis = redis;
    }

    OptionalLong stock(String sku) {
        byte[] stock = this.redis.call((commands) -> commands.hget(bytes("inventory:" + sku), bytes("stock")));
        return (stock != null) ? OptionalLong.of(Long.parseLong(new String(stock, UTF_8))) : OptionalLong.empty();
    }

    boolean write(String sku, long stock, long token) {
        Long written = this.redis.script(FENCED_WRITE, ScriptOutputType.INTEGER, 1, bytes("inventory:" + sku),
                bytes(Long.toString(stock)), bytes(Long.toString(token)));
        return written != null && written == 1L;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

}
// end::usage[]
