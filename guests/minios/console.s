; Console driver: the UART at 0x3F8. Callers may lose r0-r3; r4-r6 are kept.

; kputc: r0 = character
kputc:  PLAT_PUTC r0
        ret

; kputs: r1 = zero-terminated string, printed with interrupts held off
kputs:  push    r4
        PLAT_IRQ_SAVE r4
kputs_next:
        ldb     r0, [r1]
        cmp     r0, 0
        jz      kputs_done
        PLAT_PUTC r0
        add     r1, 1
        jmp     kputs_next
kputs_done:
        PLAT_IRQ_RESTORE r4
        pop     r4
        ret

; kputdec: r1 = unsigned number, in decimal
kputdec:
        mov     r2, numbuf + 11
        mov     r0, 0
        stb     [r2], r0
kputdec_digit:
        sub     r2, 1
        mov     r3, r1
        div     r1, 10
        mov     r0, r1
        mul     r0, 10
        sub     r3, r0
        add     r3, '0'
        stb     [r2], r3
        cmp     r1, 0
        jnz     kputdec_digit
        mov     r1, r2
        jmp     kputs

; kputhex: r1 = number, as 0x followed by 8 hex digits
kputhex:
        mov     r2, numbuf
        mov     r0, '0'
        stb     [r2], r0
        mov     r0, 'x'
        stb     [r2+1], r0
        mov     r3, 28
kputhex_digit:
        mov     r0, r1
        shr     r0, r3
        and     r0, 0xf
        add     r0, hexdigits
        ldb     r0, [r0]
        stb     [r2+2], r0
        add     r2, 1
        sub     r3, 4
        jge     kputhex_digit
        mov     r0, 0
        stb     [r2+2], r0
        mov     r1, numbuf
        jmp     kputs

hexdigits: .ascii "0123456789abcdef"
numbuf:    .space 16
