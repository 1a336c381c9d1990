; divzero: a division by zero; the #DE handler skips the instruction (N times).
        .include "kernel.s"
NAME:   .asciz "divzero: "

bench:  mov     r0, 0
        mov     r1, skip
        mov     r2, 0
        call    set_gate
        mov     r4, N
        mov     r1, 0
loop:   mov     r0, 7
        div     r0, r1
        sub     r4, 1
        jnz     loop
        jmp     report

skip:   push    r0
        ld      r0, [sp+4]
        add     r0, 8
        st      [sp+4], r0
        pop     r0
        iret
