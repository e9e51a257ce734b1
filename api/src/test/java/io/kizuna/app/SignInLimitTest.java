package io.kizuna.app;

import java.time.Duration;

import io.kizuna.app.AppClients.AppMember;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Brute force: after ten wrong passwords in fifteen minutes, for one account or from one address, the eleventh
 * attempt is refused without the password being checked: even the right password is refused then.
 */
class SignInLimitTest {
    @Test
    void theEleventhAttemptOnAnAccountIsRefusedEvenWithTheRightPassword() {
        AppMember member = AppClients.signUp("Target");
        for (int attempt = 1; attempt <= 10; attempt++) {
            AppClients.signIn(member.email(), "wrong password " + attempt, AppClients.newAddress())
                    .problem(401, "unauthenticated");
        }
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress())
                .problem(429, "too_many_attempts");
        AppClients.signIn(member.email().toUpperCase(java.util.Locale.ROOT), AppClients.PASSWORD,
                AppClients.newAddress()).problem(429, "too_many_attempts");
        member.get("/app/v1/me").expect(200); // sessions already open are not affected

        TestServer.CLOCK.advance(Duration.ofMinutes(15).plusSeconds(1));
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress()).expect(201);
    }

    @Test
    void theEleventhAttemptFromAnAddressIsRefusedForEveryAccount() {
        String address = AppClients.newAddress();
        AppMember member = AppClients.signUp("Bystander");
        for (int attempt = 1; attempt <= 10; attempt++) {
            String email = attempt % 2 == 0 ? AppClients.newEmail("nobody") : AppClients.signUp("Sprayed").email();
            AppClients.signIn(email, "guess " + attempt, address).problem(401, "unauthenticated");
        }
        AppClients.signIn(member.email(), AppClients.PASSWORD, address).problem(429, "too_many_attempts");
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress()).expect(201);
    }

    @Test
    void aSuccessfulSignInForgivesTheAccountsEarlierFailures() {
        AppMember member = AppClients.signUp("Forgetful");
        for (int attempt = 1; attempt <= 9; attempt++) {
            AppClients.signIn(member.email(), "not it " + attempt, AppClients.newAddress())
                    .problem(401, "unauthenticated");
        }
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress()).expect(201);
        for (int attempt = 1; attempt <= 10; attempt++) {
            AppClients.signIn(member.email(), "still not it " + attempt, AppClients.newAddress())
                    .problem(401, "unauthenticated");
        }
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress())
                .problem(429, "too_many_attempts");
    }
}
