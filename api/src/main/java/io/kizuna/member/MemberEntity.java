package io.kizuna.member;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

@Entity
@Table(name = "member")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class MemberEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Enumerated(EnumType.STRING)
    private MemberStatus status;

    private String name;

    @Column(name = "name_kana")
    private String nameKana;

    private String email;

    private String phone;

    @Column(name = "birth_date")
    private LocalDate birthDate;

    @Enumerated(EnumType.STRING)
    private Profile.Gender gender;

    @Column(name = "postal_code")
    private String postalCode;

    private String prefecture;

    @Column(name = "consent_marketing")
    private boolean consentMarketing;

    @Column(name = "consent_analytics")
    private boolean consentAnalytics;

    @Column(name = "merged_into")
    @Convert(UuidConverter.NAME)
    private UUID mergedInto;

    @Column(name = "enrolled_at")
    private Instant enrolledAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected MemberEntity() {
    }

    MemberEntity(UUID id, Profile profile, Consents consents, Instant enrolledAt) {
        this.id = id;
        this.status = MemberStatus.ACTIVE;
        this.enrolledAt = enrolledAt;
        update(profile, consents, enrolledAt);
    }

    MemberId id() {
        return new MemberId(id);
    }

    MemberStatus status() {
        return status;
    }

    Profile profile() {
        return new Profile(name, nameKana, email, phone, birthDate, gender, postalCode, prefecture);
    }

    Consents consents() {
        return new Consents(consentMarketing, consentAnalytics);
    }

    MemberId mergedInto() {
        return mergedInto == null ? null : new MemberId(mergedInto);
    }

    Instant enrolledAt() {
        return enrolledAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    void update(Profile profile, Consents consents, Instant at) {
        this.name = profile.name();
        this.nameKana = profile.nameKana();
        this.email = profile.email();
        this.phone = profile.phone();
        this.birthDate = profile.birthDate();
        this.gender = profile.gender();
        this.postalCode = profile.postalCode();
        this.prefecture = profile.prefecture();
        this.consentMarketing = consents.marketingMessages();
        this.consentAnalytics = consents.analyticsUse();
        this.updatedAt = at;
    }

    void changeStatus(MemberStatus next, Instant at) {
        this.status = next;
        this.updatedAt = at;
    }

    void mergeInto(MemberId survivor, Instant at) {
        this.mergedInto = survivor.value();
        changeStatus(MemberStatus.MERGED, at);
    }
}
