package io.kizuna.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScanTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"2901234567896", "]E02901234567896", "]C02901234567896\r\n", "]Q12901234567896\t",
            "2901234567896\n"})
    void scannerPrefixesAndLineEndsAreStripped(String scanned) {
        assertEquals("2901234567896", ScanText.cardNumber(scanned).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2901234567894", "4901234567894", "290123456789", "]E0", "", "garbage",
            "29012345678960", "2901234567896 extra"})
    void anythingElseIsRefusedBeforeAnyLookup(String scanned) {
        KizunaException refused = assertThrows(KizunaException.class, () -> ScanText.cardNumber(scanned));
        assertEquals(ErrorCode.INVALID_CARD_NUMBER, refused.code());
    }
}
